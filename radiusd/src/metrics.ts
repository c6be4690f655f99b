/**
 * Prometheus metrics (prom-client) on their own registry, served on a small HTTP port at `/metrics`.
 */
import { createServer, type Server } from 'node:http'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { MALFORMED_REASONS } from './protocol/errors.js'

/**
 * Every reason a datagram is dropped unanswered before the handler: the decoder's (RFC 2865 §3/§5, RFC 3579
 * §3.2), a source that is no client (`unknown-client`), a code that is no RADIUS code at all (`unknown-code`; a
 * RADIUS code on the wrong port is `unexpected-code`), and a retransmission whose original is still being
 * processed (`duplicate-in-progress`, RFC 5080 §2.2.1).
 */
export const DROP_REASONS = Object.freeze([...MALFORMED_REASONS, 'unknown-client', 'unknown-code', 'duplicate-in-progress', 'shutting-down'] as const)
export type DropReason = (typeof DROP_REASONS)[number]

export interface RadiusMetrics {
  readonly registry: Registry
  /** Requests by packet type and result (`accept`, `reject`, `ack`, `no-reply`, …). */
  readonly requests: Counter<'type' | 'result'>
  /** Time from datagram receipt to reply sent, seconds. */
  readonly latency: Histogram<'type'>
  /** Datagrams dropped before processing, by reason (unknown-client, malformed reasons, duplicate-in-progress). */
  readonly drops: Counter<'reason'>
  /** Counts one drop; `reason` is typed so that every label value is one {@link DROP_REASONS} exports at 0. */
  drop(reason: DropReason): void
  /** Database failures by operation (authorize, accounting, postauth). */
  readonly dbErrors: Counter<'operation'>
  /** Retransmissions answered from the duplicate cache (RFC 5080). */
  readonly duplicates: Counter<'type'>
  /** Bugs caught per packet by the server loop. */
  readonly handlerErrors: Counter<'type'>
  readonly disconnects: Counter<'reason' | 'result'>
  readonly dedupeEntries: Gauge
}

/** Creates the metric set on a fresh registry (no global state, so tests can run several servers). */
export function createMetrics(): RadiusMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'radiusd_' })
  const opts = { registers: [registry] }
  const drops = new Counter({ name: 'radiusd_dropped_packets_total', help: 'Datagrams dropped unanswered', labelNames: ['reason'], ...opts })
  // Every reason is exported from the start, at 0: a dashboard (or the soak bench) sees a reason before its first drop.
  for (const reason of DROP_REASONS) drops.inc({ reason }, 0)
  return {
    registry,
    drops,
    drop: (reason) => drops.inc({ reason }),
    requests: new Counter({ name: 'radiusd_requests_total', help: 'RADIUS requests handled', labelNames: ['type', 'result'], ...opts }),
    latency: new Histogram({ name: 'radiusd_request_duration_seconds', help: 'Receipt to reply', labelNames: ['type'],
      buckets: [0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.025, 0.05, 0.1, 0.3, 1], ...opts }),
    dbErrors: new Counter({ name: 'radiusd_db_errors_total', help: 'Database errors', labelNames: ['operation'], ...opts }),
    duplicates: new Counter({ name: 'radiusd_duplicates_total', help: 'Retransmissions answered from cache', labelNames: ['type'], ...opts }),
    handlerErrors: new Counter({ name: 'radiusd_handler_errors_total', help: 'Unexpected errors per packet', labelNames: ['type'], ...opts }),
    disconnects: new Counter({ name: 'radiusd_enforcement_disconnects_total', help: 'Disconnect-Requests sent by enforcement', labelNames: ['reason', 'result'], ...opts }),
    dedupeEntries: new Gauge({ name: 'radiusd_dedupe_cache_entries', help: 'Entries in the duplicate cache', ...opts }),
  }
}

/**
 * Serves `/metrics` on `port` (0 = ephemeral), and for load balancers and container healthchecks `/health`
 * (the process answers) and `/ready` (`ready()` resolves within 2 s: the database answers); resolves with the
 * bound port.
 */
export async function serveMetrics(
  metrics: RadiusMetrics, port: number, host: string, ready: () => Promise<unknown> = async () => {},
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}')
      return
    }
    if (req.url === '/ready') {
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), 2000)))
      Promise.race([ready(), timeout]).then(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready","postgres":"ok"}'),
        () => res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"not-ready","postgres":"failed"}'),
      ).finally(() => clearTimeout(timer))
      return
    }
    if (req.url !== '/metrics') {
      res.writeHead(404).end()
      return
    }
    metrics.registry.metrics().then((body) => {
      res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body)
    }, (err: unknown) => res.writeHead(500).end(String(err)))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address()
  return { server, port: typeof address === 'object' && address ? address.port : port }
}
