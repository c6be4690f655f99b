/**
 * A notifications worker process is SIGKILLed while Africa's Talking holds its request. The message is not lost:
 * the killed sender's transaction (which held the outbox row's lock) rolls back, the row is still QUEUED with no
 * attempt recorded, and another worker sends it. At-least-once, as SMS gateways allow: the gateway got the
 * request twice (the first one was accepted after its sender died) and the outbox records one send.
 */
import { spawn } from 'node:child_process'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { notify } from '../../src/notifications/notify.js'
import { createSignedInTenant, type TestTenant } from '../helper.js'
import { startNotificationsHarness, waitFor, type NotificationsHarness } from './helper.js'

let h: NotificationsHarness
let isp: TestTenant
beforeAll(async () => {
  // A dead worker's job lock expires after 1 s (then BullMQ hands the job to a live worker).
  h = await startNotificationsHarness('notify_worker_crash', { worker: false, config: { JOBS_LOCK_MS: 1000, NOTIFY_REQUEUE_AFTER_MS: 1000 } })
  isp = await createSignedInTenant(h.t, { name: 'Crash Net' })
  await h.configureSms(isp.id, { senderId: 'CRASHNET' })
})
afterAll(async () => { await h?.close() })

it('loses no message when the worker dies mid-send: another worker sends it', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/test/notifications/worker-child.ts'], {
    env: { ...process.env, NOTIFY_WORKER_CHILD: JSON.stringify({ databaseUrl: h.t.tdb.url, secretKey: h.t.config.MNETIFI_SECRET_KEY, config: h.config }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve() })
    child.once('exit', (code) => reject(new Error(`worker child exited early (${code})`)))
  })
  const to = '254712999001'
  h.at.failNext({ kind: 'stall', ms: 3000 })
  const [row] = await notify(h.t.tdb.db, { tenantId: isp.id, type: 'voucher.redeemed', key: 'crash-1', to: { phone: to },
    vars: { code: 'ZX12-CV34', plan: '1 Day', expires: '28 Nov 2026 10:15' } })
  // The child's request is at the gateway, which holds it: kill the child there.
  await waitFor(async () => h.at.requests.some((r) => r.form.to === `+${to}`) || undefined, 10_000, 'the child\'s request at the gateway')
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGKILL')
  await exited
  expect(await h.row(row!.id)).toMatchObject({ status: 'QUEUED', attempts: 0 })

  await h.startWorker()
  const sent = await h.settled(row!.id)
  const body = 'Crash Net: voucher ZX12-CV34 activated 1 Day until 28 Nov 2026 10:15.'
  expect(sent).toMatchObject({ status: 'SENT', attempts: 1, provider_status_code: 101 })
  await waitFor(async () => h.at.accepted.filter((a) => a.to === `+${to}`).length === 2 || undefined, 5000, 'the stalled request to complete')
  expect(h.at.requests.filter((r) => r.form.to === `+${to}`).map((r) => r.form.message)).toEqual([body, body])
  const ids = h.at.accepted.filter((a) => a.to === `+${to}`).map((a) => a.messageId)
  expect(ids).toContain(sent.provider_message_id)
}, 40_000)
