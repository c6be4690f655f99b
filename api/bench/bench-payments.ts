/**
 * `npm run bench:payments`: 1,000 purchases through the Daraja simulator with 30 % of callbacks lost, over real
 * Postgres, Redis, HTTP callbacks and a BullMQ worker, with the production poll delay (20 s).
 * Prints time from payment (the customer entering the PIN in the simulator) to credit, p50/p99, for the
 * callback path and the poll path (and push → credit for the poll path), then checks every payment: a double
 * credit (two credits, two confirmations, or an expiry beyond one plan) or a lost payment (paid, not credited)
 * is counted. Ends with `double credits <n> lost payments <m>` and writes api/bench/results-payments.md.
 */
import { writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { randomUUID } from 'node:crypto'
import Fastify from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import { createLogger, createSecretBox, generateSecretKey } from '@mnetifi/db'
import { extendExpiry } from '@mnetifi/db/domain'
import { createTestDatabase, insertTestHotspot, insertTestPlan, insertTestTenant } from '@mnetifi/db/testing'
import { startDarajaSim } from '../src/daraja-sim/main.js'
import { PaymentsConfigSchema } from '../src/payments/config.js'
import type { PaymentsContext } from '../src/payments/context.js'
import { createRedisDarajaTokenCache } from '../src/payments/daraja/redis-token-cache.js'
import { startPurchase } from '../src/payments/purchase.service.js'
import { openPaymentsQueue } from '../src/jobs/scheduler.js'
import { startWorker } from '../src/jobs/worker.js'
import { errorHandlerPlugin } from '../src/plugins/error-handler.js'
import { darajaHooksRoutes } from '../src/routes/payments/hooks.js'

const PURCHASES = 1000
const LOST_CALLBACK_RATE = 0.3
const CANCELLED_SHARE = 0.05
const IN_FLIGHT = 25

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!
}
const ms = (x: number) => (Number.isNaN(x) ? 'n/a' : `${Math.round(x)} ms`)

const tdb = await createTestDatabase('bench_payments')
const db = tdb.db
const log = createLogger({ level: 'warn' })
const sim = await startDarajaSim({ port: 0, defaults: { lostCallbackRate: LOST_CALLBACK_RATE, processingMs: 1000 } })
const config = {
  ...PaymentsConfigSchema.parse({}), REDIS_URL: 'redis://127.0.0.1:6379', PUBLIC_BASE_URL: 'http://127.0.0.1:1', DARAJA_SIM_URL: sim.url,
  JOBS_PREFIX: `bench-${randomUUID()}`, JOBS_CONCURRENCY: 50,
}
const queue = openPaymentsQueue(config)
const secretBox = createSecretBox(generateSecretKey('b1'))
// Shared with the worker through Redis, as the API does: a second token would invalidate the first.
const ctx: PaymentsContext = { db, secretBox, tokenCache: createRedisDarajaTokenCache(queue.connection, { prefix: `${config.JOBS_PREFIX}:daraja-token:` }), config, log, jobs: queue.scheduler }
const app = Fastify({ logger: false })
app.setValidatorCompiler(validatorCompiler)
app.setSerializerCompiler(serializerCompiler)
await app.register(errorHandlerPlugin)
await app.register(darajaHooksRoutes, { prefix: '/hooks/daraja', ctx })
;(config as { PUBLIC_BASE_URL: string }).PUBLIC_BASE_URL = await app.listen({ host: '127.0.0.1', port: 0 })
const worker = await startWorker(config, { db, secretBox, log, handleSignals: false, sweepEveryMs: 60_000 })

const tenant = await insertTestTenant(db, { subdomain: 'bench' })
const hotspot = await insertTestHotspot(db, tenant.id, { nas_ip: '10.200.0.1' })
const plan = await insertTestPlan(db, tenant.id, { price: 5000, duration_seconds: 3600 })

console.log(`bench:payments — ${PURCHASES} purchases, ${LOST_CALLBACK_RATE * 100} % callbacks lost, poll delay ${config.PAYMENTS_POLL_DELAY_MS} ms, ${cpus().length} cores`)
const started = Date.now()
const txIds: string[] = []
let next = 0
let pushErrors = 0
await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
  for (let i = next++; i < PURCHASES; i = next++) {
    const phone = `2547${String(10_000_000 + i).slice(0, 8)}`
    // The customer takes 0.5–3 s to enter the PIN; a few cancel.
    sim.queueScenarioForPhone(phone, { processingMs: 500 + Math.floor(Math.random() * 2500), ...(Math.random() < CANCELLED_SHARE ? { outcome: 'cancelled' } : {}) })
    try {
      txIds.push((await startPurchase(ctx, tenant, { planId: plan.id, phone, hotspotId: hotspot.id })).transaction.id)
    } catch (err) {
      pushErrors++
      console.error('push failed', err)
    }
  }
}))
console.log(`pushed ${txIds.length} in ${((Date.now() - started) / 1000).toFixed(1)} s; waiting for settlement…`)

// Wait until every push is settled (or the poll budget plus a margin has passed).
const deadline = Date.now() + config.PAYMENTS_POLL_BUDGET_MS + 30_000
for (;;) {
  const pending = await db.selectFrom('transactions').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenant.id).where('status', '=', 'PENDING').executeTakeFirstOrThrow()
  if (Number(pending.n) === 0 || Date.now() > deadline) break
  await new Promise((r) => setTimeout(r, 500))
}
await new Promise((r) => setTimeout(r, 3000)) // late callbacks, CoA jobs

const rows = await db.selectFrom('transactions').selectAll().where('tenant_id', '=', tenant.id).execute()
const outbox = await db.selectFrom('notification_outbox').select(['dedupe_key']).where('tenant_id', '=', tenant.id).execute()
const users = new Map((await db.selectFrom('wifi_users').select(['id', 'expiry_time']).where('tenant_id', '=', tenant.id).execute()).map((u) => [u.id, u]))
const confirmations = new Map<string, number>()
for (const o of outbox) confirmations.set(o.dedupe_key!, (confirmations.get(o.dedupe_key!) ?? 0) + 1)

const callbackLatency: number[] = []
const pollLatency: number[] = []
const pollPushToCredit: number[] = []
let doubleCredits = 0
let lostPayments = 0
let paid = 0
let failed = 0
for (const tx of rows) {
  const p = sim.payment(tx.checkout_request_id!)
  const credits = tx.provider_log.filter((e) => e.kind === 'settlement' && (e.data as { credited: boolean }).credited).length
  const user = tx.user_id ? users.get(tx.user_id) : undefined
  const exact = tx.credited_at && user?.expiry_time && user.expiry_time.getTime() === extendExpiry(null, tx.credited_at, 3600).getTime()
  if (credits > 1 || (confirmations.get(`payment-confirmed:${tx.id}`) ?? 0) > 1 || (tx.credited_at && !exact)) doubleCredits++
  if (p?.resultCode !== 0) { failed++; continue }
  paid++
  if (!tx.credited_at) { lostPayments++; continue }
  const latency = tx.credited_at.getTime() - p.completedAt!
  if (tx.settled_by === 'CALLBACK') callbackLatency.push(latency)
  else { pollLatency.push(latency); pollPushToCredit.push(tx.credited_at.getTime() - tx.created_at.getTime()) }
}
const lostCallbacks = [...sim.payments.values()].filter((p) => p.scenario.callback === 'lost').length
const lines = [
  `# bench:payments results`,
  ``,
  `Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; Postgres and Redis on the same machine; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' / ')}.`,
  `${PURCHASES} purchases through the Daraja simulator (customer answers after 0.5–3 s, ${CANCELLED_SHARE * 100} % cancel), ${lostCallbacks} callbacks lost (${LOST_CALLBACK_RATE * 100} % asked), poll delay ${config.PAYMENTS_POLL_DELAY_MS} ms (production default), one worker (concurrency ${config.JOBS_CONCURRENCY}). Push errors: ${pushErrors}.`,
  ``,
  `| path | payments | p50 payment → credit | p99 payment → credit | p50 push → credit | p99 push → credit |`,
  `| --- | ---: | ---: | ---: | ---: | ---: |`,
  `| callback | ${callbackLatency.length} | ${ms(pct(callbackLatency, 50))} | ${ms(pct(callbackLatency, 99))} | | |`,
  `| poll | ${pollLatency.length} | ${ms(pct(pollLatency, 50))} | ${ms(pct(pollLatency, 99))} | ${ms(pct(pollPushToCredit, 50))} | ${ms(pct(pollPushToCredit, 99))} |`,
  ``,
  `Paid ${paid}, failed (cancelled) ${failed}. Targets: callback p99 < 1 s; poll path within 25 s of the push.`,
  ``,
  `double credits ${doubleCredits} lost payments ${lostPayments}`,
]
writeFileSync(new URL('./results-payments.md', import.meta.url), `${lines.join('\n')}\n`)
console.log(lines.slice(2).join('\n'))

await worker.close()
await queue.queue.obliterate({ force: true }).catch(() => {})
await queue.connection.keys(`${config.JOBS_PREFIX}:*`).then((keys) => (keys.length ? queue.connection.del(...keys) : 0)).catch(() => {})
await queue.close()
await app.close()
await sim.close()
await tdb.destroy()
process.exit(doubleCredits === 0 && lostPayments === 0 ? 0 : 1)
