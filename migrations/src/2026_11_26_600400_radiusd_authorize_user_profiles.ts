/**
 * rlm_sql `read_profiles` for operator rows: a `User-Profile` check item (`:=`, in the user's radcheck or a
 * group's radgroupcheck) names a profile. rlm_sql processes it by setting SQL-User-Name to the profile and
 * running its group processing again — so the profile is a pseudo-user in radusergroup, and ITS groups'
 * radgroupcheck/radgroupreply rows apply after the user's own groups. radiusd_authorize() returns those groups,
 * for every profile name the rows mention, in `rad.profiles` (name → groups, shaped like `rad.groups`), from the
 * same call and scoped to the NAS's tenant; the policy decides which one applies (rlm-sql.ts).
 *
 * The profile block goes before the sqlcounter block (2026_11_26_600300) so that counter check items in profile
 * groups are seen, and `Simultaneous-Use` in profile groups takes the session claim like the user's own.
 * Both changes patch the live definition (pg_get_functiondef + replace), failing loudly if an anchor is not
 * there exactly once. Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'
import { replaceInFunction } from './lib/replace-in-function.js'

const COUNTERS_ANCHOR = '-- sqlcounter: only for rows that name a counter check item'

const PROFILES = String.raw`-- rlm_sql read_profiles: the groups of each profile a User-Profile row names.
        IF v_rad @? '$.** ? (@ == "User-Profile")' THEN
          v_rad := v_rad || jsonb_build_object('profiles', (SELECT coalesce(jsonb_object_agg(pr.name, (
              SELECT coalesce(jsonb_agg(jsonb_build_object(
                  'name', g.groupname,
                  'check', (SELECT coalesce(jsonb_agg(jsonb_build_array(c.attribute, c.op, c.value) ORDER BY c.id), '[]')
                    FROM radgroupcheck c WHERE c.groupname = g.groupname AND c.managed_by IS NULL
                      AND c.tenant_id IS NOT DISTINCT FROM p_tenant_id),
                  'reply', (SELECT coalesce(jsonb_agg(jsonb_build_array(r.attribute, r.op, r.value) ORDER BY r.id), '[]')
                    FROM radgroupreply r WHERE r.groupname = g.groupname AND r.managed_by IS NULL
                      AND r.tenant_id IS NOT DISTINCT FROM p_tenant_id)
                ) ORDER BY g.priority, g.id), '[]')
              FROM radusergroup g
              WHERE g.username = pr.name AND g.managed_by IS NULL AND g.tenant_id IS NOT DISTINCT FROM p_tenant_id)), '{}')
            FROM (SELECT DISTINCT CASE WHEN x.v ~ '^([''"]).*\1$' THEN substr(x.v, 2, length(x.v) - 2) ELSE x.v END AS name
              FROM (SELECT r ->> 2 AS v FROM jsonb_path_query(v_rad, 'strict $.check[*] ? (@[0] == "User-Profile")') r
                UNION ALL SELECT r ->> 2 FROM jsonb_path_query(v_rad, 'strict $.groups[*].check[*] ? (@[0] == "User-Profile")') r) x) pr));
        END IF;
        `

const LIMITED_BEFORE = `v_limited := v_rad @? '$.check[*] ? (@[0] == "Simultaneous-Use")'`
const LIMITED_AFTER = `v_limited := v_rad @? '$.profiles.*[*].check[*] ? (@[0] == "Simultaneous-Use")' OR v_rad @? '$.check[*] ? (@[0] == "Simultaneous-Use")'`

const swap = (db: Kysely<any>, from: string, to: string): Promise<void> =>
  replaceInFunction(db, 'radiusd_authorize(uuid, text, macaddr, text, inet, integer, integer, integer)', from, to)

export async function up(db: Kysely<any>): Promise<void> {
  await swap(db, COUNTERS_ANCHOR, PROFILES + COUNTERS_ANCHOR)
  await swap(db, LIMITED_BEFORE, LIMITED_AFTER)
}

export async function down(db: Kysely<any>): Promise<void> {
  await swap(db, LIMITED_AFTER, LIMITED_BEFORE)
  await swap(db, PROFILES + COUNTERS_ANCHOR, COUNTERS_ANCHOR)
}
