/**
 * The two statements on radiusd's hot path, as named prepared statements on a plain `pg` pool (parsed and
 * planned once per connection; Kysely cannot name statements) and naturally batched:
 * - `radiusd_authorize()` — ONE round trip per Access-Request (fewer under load), see the migration
 *   2026_11_26_100000_create_radiusd_authorize;
 * - `radiusd_accounting()` — the queries.conf port; resolves only after COMMIT.
 */
import type { pg } from '@mnetifi/db'
import { createBatcher } from './batcher.js'
import type { RadRows } from '../policy/rlm-sql.js'
import type { RateLimitFields } from '@mnetifi/db/domain'

/** What one Access-Request asks the database. */
export interface AuthorizeInput {
  readonly tenantId: string | null
  readonly username: string
  /** The User-Name as a MAC (`aa:bb:…`) when the hotspot allows MAC login and it parses as one. */
  readonly mac: string | null
  readonly callingStationId: string | null
  readonly nasIp: string
  /** The hotspot's interim interval (s) for stale-session detection when the plan sets none. */
  readonly intervalS: number
}

export interface NativeUser {
  readonly id: string
  readonly username: string
  readonly password: string
  readonly accountType: 'HOTSPOT' | 'PPPOE' | 'STATIC'
  readonly status: 'ACTIVE' | 'SUSPENDED'
  /** Seconds since the epoch, or null for never bought. */
  readonly expiry: number | null
  readonly framedPool: string | null
  readonly staticIp: string | null
  readonly viaMac: boolean
}

/** A plan as radiusd_authorize() returns it; the speed fields are the ones renderRateLimit() reads. */
export interface NativePlan extends RateLimitFields {
  readonly id: string
  readonly active: boolean
  readonly accountTypes: readonly string[]
  readonly dataQuota: number | null
  readonly simultaneousUse: number
  readonly interimInterval: number | null
  readonly idleTimeout: number | null
}

/** Everything the policy needs, from one statement. */
export interface AuthorizeData {
  /** Database clock, seconds since the epoch (fractional): expiry is computed against it. */
  readonly now: number
  readonly tenantStatus: 'ACTIVE' | 'BLOCKED' | null
  readonly user: NativeUser | null
  readonly plan: NativePlan | null
  readonly rad: RadRows | null
  /** Open, non-stale sessions plus live claims of other devices, before this request's claim. */
  readonly occupancy: number
  /** This request's session claim, to release when it is rejected. */
  readonly claimId: number | null
}

/** One accounting packet as the SQL writer takes it (FreeRADIUS expansion rules already applied). */
export interface AcctRecord {
  readonly status: 'start' | 'interim' | 'stop' | 'accounting-on' | 'accounting-off' | 'ignored'
  readonly tenant_id: string | null
  readonly acctsessionid: string
  readonly acctuniqueid: string
  readonly username: string
  readonly realm: string | null
  readonly nasipaddress: string
  readonly nasportid: string | null
  readonly nasporttype: string
  readonly event_epoch: number
  readonly acctsessiontime: number | null
  readonly acctauthentic: string
  readonly connectinfo: string
  readonly inputoctets: number
  readonly outputoctets: number
  readonly calledstationid: string
  readonly callingstationid: string
  readonly acctterminatecause: string
  readonly servicetype: string
  readonly framedprotocol: string
  readonly framedipaddress: string | null
  readonly framedipv6address: string | null
  readonly framedipv6prefix: string | null
  readonly framedinterfaceid: string | null
  readonly delegatedipv6prefix: string | null
  readonly class: string | null
}

export interface HotPathOptions {
  /** Grace added to 2 × interim interval before an open session counts as stale, seconds. @defaultValue 60 */
  readonly staleGraceS?: number
  /** How long a session claim waits for its Accounting-Start, seconds. @defaultValue 30 */
  readonly claimTtlS?: number
  /** Concurrent batches per statement kind. @defaultValue 3 */
  readonly lanes?: number
  /** Largest batch. @defaultValue 64 */
  readonly maxBatch?: number
}

export interface HotPath {
  authorize(input: AuthorizeInput): Promise<AuthorizeData>
  /** Writes one accounting record; resolves with the queries.conf step that applied, after COMMIT. */
  account(record: AcctRecord): Promise<string>
  /** Frees the session claim of a rejected request at once (batched with other releases). */
  releaseClaim(claimId: number): Promise<void>
  /**
   * Opens `connections` pool connections and runs both statements once on each (an unknown user, an empty
   * accounting batch: nothing is written), so the first real requests do not pay for planning.
   */
  warmUp(connections: number): Promise<void>
}

/**
 * The authorize batch. Before any row runs, `locks` takes the per-user advisory lock of EVERY row, sorted by
 * lock key, so all batches take their locks in one global order and two lanes holding the same two users cannot
 * deadlock (a 1 s deadlock_timeout stall and a failed batch). The key is the one radiusd_authorize() locks on:
 * tenant + the user's name, which for a MAC login (User-Name = the device MAC, no user of that name) is the
 * paying user's name found through wifi_user_devices, as the function finds it. radiusd_authorize() then takes
 * the same lock again, which a transaction already holding it gets at once. Rows that end up needing no lock
 * (unknown users, no Simultaneous-Use) hold theirs for the statement too; that costs nothing measurable.
 */
export const AUTHORIZE_SQL = `WITH x AS MATERIALIZED (
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::macaddr[], $4::text[], $5::inet[], $6::int[]) WITH ORDINALITY AS x(t, u, m, c, n, i, o)),
  locks AS MATERIALIZED (
    SELECT count(*) AS n FROM (SELECT pg_advisory_xact_lock(s.k) FROM (
      SELECT DISTINCT hashtextextended(coalesce(x.t::text, '') || '/' || CASE
        WHEN x.m IS NULL OR x.t IS NULL
          OR EXISTS (SELECT 1 FROM wifi_users w WHERE w.tenant_id = x.t AND w.username = x.u AND w.archived_at IS NULL)
        THEN x.u
        ELSE coalesce((SELECT w.username FROM wifi_user_devices d JOIN wifi_users w ON w.id = d.user_id
          WHERE d.tenant_id = x.t AND d.mac_address = x.m AND w.archived_at IS NULL LIMIT 1), x.u) END, 0) AS k
      FROM x ORDER BY k) s) l)
  SELECT radiusd_authorize(x.t, x.u, x.m, x.c, x.n, x.i, $7, $8) AS r
  FROM x WHERE (SELECT n FROM locks) IS NOT NULL
  ORDER BY x.o`

/**
 * A batch of one (most of them below a few hundred requests/s) takes one lock at most, so it cannot be part of
 * a lock cycle and needs no sorted pre-locking; scalar parameters also skip the array encoding.
 */
const AUTHORIZE_ONE_SQL = 'SELECT radiusd_authorize($1::uuid, $2::text, $3::macaddr, $4::text, $5::inet, $6::int, $7, $8) AS r'

/** Creates the hot path over `pool`. */
export function createHotPath(pool: pg.Pool, options: HotPathOptions = {}): HotPath {
  const lanes = options.lanes ?? 3
  const maxBatch = options.maxBatch ?? 64
  const grace = options.staleGraceS ?? 60
  const ttl = options.claimTtlS ?? 30

  // Column arrays for unnest(), filled in one loop (no per-column closures and intermediate arrays).
  const authorizeBatch = (items: readonly AuthorizeInput[]) => {
    const n = items.length
    if (n === 1) {
      const i = items[0]!
      return pool.query<{ r: AuthorizeData }>({
        name: 'radiusd_authorize_one', text: AUTHORIZE_ONE_SQL,
        values: [i.tenantId, i.username, i.mac, i.callingStationId, i.nasIp, i.intervalS, grace, ttl],
      })
    }
    const tenants = new Array<string | null>(n), users = new Array<string>(n), macs = new Array<string | null>(n)
    const stations = new Array<string | null>(n), nasIps = new Array<string>(n), intervals = new Array<number>(n)
    for (let k = 0; k < n; k++) {
      const i = items[k]!
      tenants[k] = i.tenantId; users[k] = i.username; macs[k] = i.mac
      stations[k] = i.callingStationId; nasIps[k] = i.nasIp; intervals[k] = i.intervalS
    }
    return pool.query<{ r: AuthorizeData }>({
      name: 'radiusd_authorize_batch', text: AUTHORIZE_SQL, values: [tenants, users, macs, stations, nasIps, intervals, grace, ttl],
    })
  }

  async function runAccounting(records: AcctRecord[]): Promise<string[]> {
    const res = await pool.query<{ r: string[] }>({
      name: 'radiusd_accounting', text: 'SELECT radiusd_accounting($1::jsonb) AS r', values: [JSON.stringify(records)],
    })
    return res.rows[0]!.r
  }

  const authorizer = createBatcher<AuthorizeInput, AuthorizeData>({
    lanes, maxBatch,
    async run(items) {
      // Lock order is the statement's business (AUTHORIZE_SQL): rows go in arrival order.
      const res = await authorizeBatch(items)
      const out = new Array<AuthorizeData>(items.length)
      for (let k = 0; k < items.length; k++) out[k] = res.rows[k]!.r
      return out
    },
  })

  const accountant = createBatcher<AcctRecord, string | Error>({
    lanes, maxBatch,
    async run(records) {
      try {
        return await runAccounting(records)
      } catch (err) {
        if (records.length === 1) throw err
        // One bad record must not hold the others hostage: retry one by one, so only it stays unacknowledged.
        return Promise.all(records.map((r) => runAccounting([r]).then((out) => out[0]!, (e: unknown) => e as Error)))
      }
    },
  })

  // An Accounting-On/Off closes every open session of one router in one UPDATE (1,000 sessions ≈ 40 ms). In the
  // shared batches, a power cut's 25 rebooting routers would commit as one transaction and each would wait for all
  // the others' closes, past RouterOS's 3 × 300 ms: each gets its own transaction, beside the other lanes.
  const bulkCloser = createBatcher<AcctRecord, string>({
    lanes, maxBatch: 1,
    run: (records) => runAccounting(records),
  })

  const releaser = createBatcher<number, null>({
    lanes: 1, maxBatch: 500,
    async run(ids) {
      await pool.query({ name: 'radiusd_release_claims', text: 'DELETE FROM radiusd_session_claims WHERE id = ANY($1::bigint[])', values: [ids] })
      return ids.map(() => null)
    },
  })

  return {
    authorize: (input) => authorizer.submit(input),
    releaseClaim: async (claimId) => { await releaser.submit(claimId) },
    async warmUp(connections) {
      await Promise.all(Array.from({ length: connections }, async () => {
        const client = await pool.connect()
        try {
          await client.query({ name: 'radiusd_authorize_batch', text: AUTHORIZE_SQL, values: [[null], [''], [null], [null], ['0.0.0.0'], [300], grace, ttl] })
          await client.query({ name: 'radiusd_authorize_one', text: AUTHORIZE_ONE_SQL, values: [null, '', null, null, '0.0.0.0', 300, grace, ttl] })
          await client.query({ name: 'radiusd_accounting', text: 'SELECT radiusd_accounting($1::jsonb) AS r', values: ['[]'] })
        } finally {
          client.release()
        }
      }))
    },
    async account(record) {
      if (record.status === 'accounting-on' || record.status === 'accounting-off') return bulkCloser.submit(record)
      const out = await accountant.submit(record)
      if (out instanceof Error) throw out
      return out
    },
  }
}
