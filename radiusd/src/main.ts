/**
 * `startRadiusd(config, { db, log })`: wires the server for `mnetifi radiusd` and `npm start` (the CLI owns
 * process signals and calls `close()`).
 */
import { pg, rememberNasRequiresMessageAuthenticatorAcrossTenants, type Database } from '@mnetifi/db'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import { createClientRegistry } from './clients.js'
import { createCoaClient } from './coa/client.js'
import type { Config } from './config.js'
import { startEnforcer } from './enforcement/enforcer.js'
import { createRequestHandler } from './handler.js'
import { createMetrics, serveMetrics } from './metrics.js'
import { createPostAuthWriter } from './postauth.js'
import { createRadiusServer } from './server.js'
import { createHotPath } from './store/hot-path.js'

export interface RadiusdDeps {
  /** Kysely over the same database, for off-hot-path queries (NAS list, enforcement). */
  readonly db: Kysely<Database>
  readonly log: Logger
}

export interface RunningRadiusd {
  readonly authPort: number
  readonly acctPort: number
  readonly metricsPort: number
  close(): Promise<void>
}

/** Starts radiusd; resolves once both sockets and the metrics port are bound. */
export async function startRadiusd(config: Readonly<Config>, deps: RadiusdDeps): Promise<RunningRadiusd> {
  const log = deps.log.child({ component: 'radiusd' })
  // idleTimeoutMillis 0: keep the hot-path connections. A fresh backend plans radiusd_authorize()'s statements
  // on its first call (several ms), so pg's default 10 s idle close put that cost on quiet NASes' logins.
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: config.RADIUS_DB_POOL_SIZE, application_name: 'radiusd', idleTimeoutMillis: 0 })
  // A connection lost while idle must not crash the process; the next query reconnects.
  pool.on('error', (err) => log.warn({ err }, 'idle database connection lost'))
  const metrics = createMetrics()
  const hotPath = createHotPath(pool, {
    staleGraceS: config.RADIUS_STALE_GRACE_SECONDS, claimTtlS: config.RADIUS_CLAIM_TTL_SECONDS,
    lanes: Math.max(1, config.RADIUS_DB_POOL_SIZE - 2),
  })
  await hotPath.warmUp(config.RADIUS_DB_POOL_SIZE).catch((err: unknown) => log.warn({ err }, 'warming up the database connections failed; continuing'))
  const clients = await createClientRegistry({ db: deps.db, connectionString: config.DATABASE_URL, log })
  const postAuth = createPostAuthWriter(pool, log)
  const handler = createRequestHandler({ hotPath, postAuth, metrics, log, rejectDelayMs: config.RADIUS_REJECT_DELAY_MS,
    defaultInterimS: config.RADIUS_DEFAULT_INTERIM_SECONDS })
  const server = createRadiusServer({ handler, resolveClient: clients.resolve, log, metrics, dedupeMs: config.RADIUS_DEDUPE_SECONDS * 1000,
    // Message-Authenticator "auto": persisted (on the hotspot, or in radiusd_nas_flags for a nas row without one),
    // so restarts and other replicas (reloaded by the nas NOTIFY) keep requiring it.
    onMessageAuthenticatorSeen: config.RADIUS_MESSAGE_AUTHENTICATOR === 'auto' ? (client) => {
      rememberNasRequiresMessageAuthenticatorAcrossTenants(deps.db, client.id)
        .catch((err: unknown) => log.warn({ err, nas: client.name }, 'persisting require_message_authenticator failed; enforced by this process only'))
    } : undefined })
  const coa = createCoaClient({ retryMs: 1000, maxAttempts: 3, log })
  const enforcer = startEnforcer({ db: deps.db, coa, log, metrics, intervalMs: config.RADIUS_ENFORCE_INTERVAL_MS })
  try {
    const authPort = await server.listen('auth', config.RADIUS_AUTH_PORT, config.RADIUS_BIND_ADDRESS)
    const acctPort = await server.listen('acct', config.RADIUS_ACCT_PORT, config.RADIUS_BIND_ADDRESS)
    const metricsHttp = await serveMetrics(metrics, config.RADIUS_METRICS_PORT, config.RADIUS_METRICS_ADDRESS, () => pool.query('SELECT 1'))
    log.info({ authPort, acctPort, metricsPort: metricsHttp.port }, 'radiusd listening')
    return {
      authPort, acctPort, metricsPort: metricsHttp.port,
      async close() {
        await server.close()
        await enforcer.close()
        await coa.close()
        await postAuth.close().catch(() => {})
        await clients.close()
        await new Promise<void>((r) => metricsHttp.server.close(() => r()))
        await pool.end()
      },
    }
  } catch (err) {
    await server.close()
    await enforcer.close()
    await coa.close()
    await clients.close()
    await pool.end()
    throw err
  }
}
