/**
 * The emulators a developer runs (dev-emulators.ts) take any account, and print what they were sent.
 */
import { expect, it } from 'vitest'
import { startDevEmulators } from '../../src/notifications/dev-emulators.js'
import { sendAfricasTalkingSms } from '../../src/notifications/sms/africastalking-client.js'
import { sendGraphMessage } from '../../src/notifications/whatsapp/graph-client.js'
import { waitFor } from './helper.js'

it('accepts any Africa\'s Talking account and any WhatsApp token and template, and prints each message', async () => {
  const lines: string[] = []
  const dev = await startDevEmulators({ sms: 0, graph: 0 }, (l) => lines.push(l))
  try {
    const sms = await sendAfricasTalkingSms(dev.sms.url, { username: 'anyisp', apiKey: 'anykey', senderId: 'ANYISP' }, { phone: '254708374149', message: 'Hello' }, { timeoutMs: 2000 })
    expect(sms).toMatchObject({ kind: 'answered', recipients: [{ statusCode: 101, status: 'Success', number: '+254708374149', cost: 'KES 0.8000' }] })
    const wa = await sendGraphMessage({ url: dev.graph.url, version: 'v26.0' }, { phoneNumberId: '123456789', accessToken: 'tok' }, {
      messaging_product: 'whatsapp', recipient_type: 'individual', to: '254708374149', type: 'template',
      template: { name: 'plan_expired', language: { code: 'sw' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Day' }] }] },
    }, { timeoutMs: 2000 })
    expect(wa.kind).toBe('sent')
    await waitFor(async () => lines.length >= 3, 3000, 'the printed messages')
    expect(lines[0]).toBe(`Africa's Talking emulator on ${dev.sms.url}, Graph API emulator on ${dev.graph.url}`)
    expect(lines[1]).toMatch(/^SMS ATXid_\w+ to \+254708374149 from ANYISP: Hello$/)
    expect(lines[2]).toMatch(/^WhatsApp \/v26\.0\/123456789\/messages: \{"messaging_product":"whatsapp"/)
  } finally {
    await dev.close()
  }
})
