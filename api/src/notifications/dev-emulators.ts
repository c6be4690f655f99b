/**
 * The provider emulators for a developer's machine: `npx tsx api/src/notifications/dev-emulators.ts [smsPort]
 * [graphPort]` starts Africa's Talking on 3091 and the Graph API on 3092 (accepting any account), so the API and
 * worker can run with NOTIFY_SMS_TRANSPORT=africastalking AFRICASTALKING_BASE_URL=http://127.0.0.1:3091 and
 * NOTIFY_WHATSAPP_TRANSPORT=cloud-api WHATSAPP_GRAPH_URL=http://127.0.0.1:3092. Every message they take is printed.
 * Tests start the emulators themselves, on free ports.
 */
import { startAfricasTalkingEmulator } from './sms/africastalking-emulator.js'
import { startGraphEmulator } from './whatsapp/graph-emulator.js'

/** Starts both emulators; `close()` stops them. */
export async function startDevEmulators(ports: { sms: number; graph: number }, print: (line: string) => void = console.log) {
  const sms = await startAfricasTalkingEmulator({ port: ports.sms, acceptAnyAccount: true })
  const graph = await startGraphEmulator({ port: ports.graph, permissive: true })
  let seen = { sms: 0, graph: 0 }
  const timer = setInterval(() => {
    for (const a of sms.accepted.slice(seen.sms)) print(`SMS ${a.messageId} to ${a.to} from ${a.from ?? '(default)'}: ${a.message}`)
    for (const r of graph.requests.slice(seen.graph)) print(`WhatsApp ${r.path}: ${JSON.stringify(r.body)}`)
    seen = { sms: sms.accepted.length, graph: graph.requests.length }
  }, 500)
  timer.unref()
  print(`Africa's Talking emulator on ${sms.url}, Graph API emulator on ${graph.url}`)
  return { sms, graph, async close() { clearInterval(timer); await sms.close(); await graph.close() } }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [smsPort = '3091', graphPort = '3092'] = process.argv.slice(2)
  const running = await startDevEmulators({ sms: Number(smsPort), graph: Number(graphPort) })
  const stop = () => { void running.close().then(() => process.exit(0)) }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
