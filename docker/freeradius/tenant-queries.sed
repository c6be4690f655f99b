# Makes FreeRADIUS 3.2's stock PostgreSQL queries.conf tenant-aware for a MnetiFi database.
#
#   sed -f tenant-queries.sed /etc/freeradius/3.0/mods-config/sql/main/postgresql/queries.conf > queries.conf
#
# The NAS a request comes from decides the tenant: every user-keyed authorisation query only sees rows whose
# tenant_id equals the tenant of the `nas` row for the packet's source address (rows with tenant_id NULL are
# seen only by NASes without a tenant, as in a plain FreeRADIUS install). Group names are globally unique
# (mnetifi:plan:<uuid>), so the group queries need no filter. Simultaneous-Use counts only that tenant's
# sessions. radacct/radpostauth rows get their tenant_id from a trigger (nas lookup), so the accounting queries
# are unchanged.
s/^\tWHERE Username = '%{SQL-User-Name}' \\$/\tWHERE Username = '%{SQL-User-Name}' \\\n\tAND tenant_id IS NOT DISTINCT FROM (SELECT tenant_id FROM nas WHERE nasname = '%{Packet-Src-IP-Address}' LIMIT 1) \\/
s/^\tWHERE UserName='%{SQL-User-Name}' \\$/\tWHERE UserName='%{SQL-User-Name}' \\\n\tAND tenant_id IS NOT DISTINCT FROM (SELECT tenant_id FROM nas WHERE nasname = '%{Packet-Src-IP-Address}' LIMIT 1) \\/
