/**
 * Starts the API on a port and closes it gracefully. The CLI (`mnetifi api`, `npm start`) calls startApi
 * with a parsed config and the dependencies it created.
 */
import { archiveAccountingAcrossPlatform, deleteExpiredAdminSessionsAcrossPlatform, foldUsageDeltasAcrossPlatform } from '@mnetifi/db'
import { buildApp, type AppDeps } from './app.js'
import type { Config } from './config.js'
import { createRadiusSessionControl } from './lib/radius-session-control.js'

/** A running API. */
export interface RunningApi {
  /** The port actually bound (useful with API_PORT=0). */
  readonly port: number
  /** Stops accepting requests, waits for in-flight ones, stops background timers. Does not close deps. */
  close(): Promise<void>
}

/**
 * Builds the app, listens on API_HOST:API_PORT, and starts folding report roll-ups and archiving accounting
 * periodically.
 * `deps.coa`: undefined → radiusd's CoA client; null → none (actions answer path 'unavailable').
 */
export async function startApi(config: Config, deps: AppDeps): Promise<RunningApi> {
  // Without an injected SessionControl, use radiusd's RFC 5176 client (closed with the API: we made it).
  const ownCoa = deps.coa === undefined
    ? createRadiusSessionControl({ retryMs: config.COA_RETRY_MS, maxAttempts: config.COA_MAX_ATTEMPTS, log: deps.log.child({ component: 'coa' }) })
    : null
  const app = await buildApp(config, ownCoa ? { ...deps, coa: ownCoa } : deps)
  // While closing, a response still in flight says `Connection: close`: its client does not keep the socket alive,
  // so app.close() (which closes only the connections idle when it starts) does not wait out the keep-alive timeout.
  let closing = false
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close')
    return payload
  })
  await app.listen({ host: config.API_HOST, port: config.API_PORT })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.API_PORT

  let timer: NodeJS.Timeout | undefined
  if (config.USAGE_FOLD_INTERVAL_SECONDS > 0) {
    // Keeps the accounting delta inbox short so a report's own fold is quick. Replicas may all run it: the
    // function takes an advisory lock and the losers return at once.
    // Expired and idle admin sessions are swept on the same beat (they are already refused at lookup; this only
    // keeps the table small).
    timer = setInterval(() => {
      foldUsageDeltasAcrossPlatform(deps.db).catch((err: unknown) => app.log.warn({ err }, 'usage fold failed'))
      const now = new Date()
      const idleBefore = new Date(now.getTime() - config.SESSION_IDLE_TIMEOUT_SECONDS * 1000)
      deleteExpiredAdminSessionsAcrossPlatform(deps.db, now, idleBefore).catch((err: unknown) => app.log.warn({ err }, 'session sweep failed'))
    }, config.USAGE_FOLD_INTERVAL_SECONDS * 1000)
    timer.unref()
  }
  // Old closed accounting moves from the hot radacct to the month-partitioned archive, and retention drops
  // archive months. Replicas may all run it: the database function lets one archiver at a time through.
  let archiving: Promise<unknown> | undefined
  const archiveTimer = config.RADACCT_ARCHIVE_INTERVAL_SECONDS > 0
    ? setInterval(() => {
      if (archiving) return
      archiving = archiveAccountingAcrossPlatform(deps.db, {
        hotDays: config.RADACCT_HOT_DAYS, retentionMonths: config.RADACCT_RETENTION_MONTHS, stop: () => closing,
      })
        .then((pass) => {
          if (pass.moved || pass.dropped.length) app.log.info(pass, 'accounting archived')
        }, (err: unknown) => app.log.warn({ err }, 'accounting archive failed'))
        .finally(() => { archiving = undefined })
    }, config.RADACCT_ARCHIVE_INTERVAL_SECONDS * 1000)
    : undefined
  archiveTimer?.unref()
  return {
    port,
    async close() {
      closing = true
      if (timer) clearInterval(timer)
      if (archiveTimer) clearInterval(archiveTimer)
      // A pass in progress stops after its current batch (one short transaction); the next API carries on.
      await Promise.all([app.close(), archiving])
      await ownCoa?.close()
    },
  }
}
