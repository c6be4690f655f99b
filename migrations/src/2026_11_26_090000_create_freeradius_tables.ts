/**
 * FreeRADIUS 3.2 tables, column for column.
 *
 * Source: FreeRADIUS/freeradius-server v3.2.x `raddb/mods-config/sql/main/postgresql/schema.sql`
 * (byte-identical to Debian 12 `freeradius 3.2.1+dfsg-4+deb12u1`,
 * `/etc/freeradius/3.0/mods-config/sql/main/postgresql/schema.sql`).
 *
 * Differences, all additive and nullable so that stock `queries.conf` keeps working:
 * - `tenant_id` on every table: the tenant a row belongs to (NULL = a row an operator wrote by hand that is
 *   valid for any NAS without a tenant, as in a plain FreeRADIUS install).
 * - `managed_by` on the rad* attribute tables: 'mnetifi' for rows our triggers mirror from plans and users,
 *   NULL for rows an operator inserted directly. Triggers only ever touch their own rows.
 * - `nas.hotspot_id` links a NAS to the hotspot it mirrors.
 * - `radacct_active_user_idx` (open sessions by username), which the Simultaneous-Use check needs on a
 *   lived-in radacct (FreeRADIUS ships it commented out).
 *
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE radacct (
      RadAcctId bigserial PRIMARY KEY,
      AcctSessionId text NOT NULL,
      AcctUniqueId text NOT NULL UNIQUE,
      UserName text,
      Realm text,
      NASIPAddress inet NOT NULL,
      NASPortId text,
      NASPortType text,
      AcctStartTime timestamp with time zone,
      AcctUpdateTime timestamp with time zone,
      AcctStopTime timestamp with time zone,
      AcctInterval bigint,
      AcctSessionTime bigint,
      AcctAuthentic text,
      ConnectInfo_start text,
      ConnectInfo_stop text,
      AcctInputOctets bigint,
      AcctOutputOctets bigint,
      CalledStationId text,
      CallingStationId text,
      AcctTerminateCause text,
      ServiceType text,
      FramedProtocol text,
      FramedIPAddress inet,
      FramedIPv6Address inet,
      FramedIPv6Prefix inet,
      FramedInterfaceId text,
      DelegatedIPv6Prefix inet,
      Class text,
      tenant_id uuid
    );
    CREATE INDEX radacct_active_session_idx ON radacct (AcctUniqueId) WHERE AcctStopTime IS NULL;
    CREATE INDEX radacct_bulk_close ON radacct (NASIPAddress, AcctStartTime) WHERE AcctStopTime IS NULL;
    CREATE INDEX radacct_start_user_idx ON radacct (AcctStartTime, UserName);
    CREATE INDEX radacct_calss_idx ON radacct (Class);
    CREATE INDEX radacct_active_user_idx ON radacct (UserName) WHERE AcctStopTime IS NULL;
    CREATE INDEX radacct_tenant_start_idx ON radacct (tenant_id, AcctStartTime);

    CREATE TABLE radcheck (
      id serial PRIMARY KEY,
      UserName text NOT NULL DEFAULT '',
      Attribute text NOT NULL DEFAULT '',
      op VARCHAR(2) NOT NULL DEFAULT '==',
      Value text NOT NULL DEFAULT '',
      tenant_id uuid,
      managed_by text
    );
    CREATE INDEX radcheck_UserName ON radcheck (UserName, Attribute);

    CREATE TABLE radgroupcheck (
      id serial PRIMARY KEY,
      GroupName text NOT NULL DEFAULT '',
      Attribute text NOT NULL DEFAULT '',
      op VARCHAR(2) NOT NULL DEFAULT '==',
      Value text NOT NULL DEFAULT '',
      tenant_id uuid,
      managed_by text
    );
    CREATE INDEX radgroupcheck_GroupName ON radgroupcheck (GroupName, Attribute);

    CREATE TABLE radgroupreply (
      id serial PRIMARY KEY,
      GroupName text NOT NULL DEFAULT '',
      Attribute text NOT NULL DEFAULT '',
      op VARCHAR(2) NOT NULL DEFAULT '=',
      Value text NOT NULL DEFAULT '',
      tenant_id uuid,
      managed_by text
    );
    CREATE INDEX radgroupreply_GroupName ON radgroupreply (GroupName, Attribute);

    CREATE TABLE radreply (
      id serial PRIMARY KEY,
      UserName text NOT NULL DEFAULT '',
      Attribute text NOT NULL DEFAULT '',
      op VARCHAR(2) NOT NULL DEFAULT '=',
      Value text NOT NULL DEFAULT '',
      tenant_id uuid,
      managed_by text
    );
    CREATE INDEX radreply_UserName ON radreply (UserName, Attribute);

    CREATE TABLE radusergroup (
      id serial PRIMARY KEY,
      UserName text NOT NULL DEFAULT '',
      GroupName text NOT NULL DEFAULT '',
      priority integer NOT NULL DEFAULT 0,
      tenant_id uuid,
      managed_by text
    );
    CREATE INDEX radusergroup_UserName ON radusergroup (UserName);

    CREATE TABLE radpostauth (
      id bigserial PRIMARY KEY,
      username text NOT NULL,
      pass text,
      reply text,
      CalledStationId text,
      CallingStationId text,
      authdate timestamp with time zone NOT NULL DEFAULT now(),
      Class text,
      tenant_id uuid
    );
    CREATE INDEX radpostauth_username_idx ON radpostauth (username);
    CREATE INDEX radpostauth_class_idx ON radpostauth (Class);

    CREATE TABLE nas (
      id serial PRIMARY KEY,
      nasname text NOT NULL,
      shortname text NOT NULL,
      type text NOT NULL DEFAULT 'other',
      ports integer,
      secret text NOT NULL,
      server text,
      community text,
      description text,
      tenant_id uuid,
      hotspot_id uuid UNIQUE
    );
    CREATE INDEX nas_nasname ON nas (nasname);

    CREATE TABLE nasreload (
      NASIPAddress inet PRIMARY KEY,
      ReloadTime timestamp with time zone NOT NULL
    );
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS nasreload, nas, radpostauth, radusergroup, radreply, radgroupreply, radgroupcheck,
      radcheck, radacct
  `.execute(db)
}
