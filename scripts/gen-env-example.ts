/**
 * Writes `.env.example` from the config schemas themselves (each variable's doc comment and @defaultValue), so
 * the list cannot fall behind the code: `cli/test/env-example.test.ts` fails when a variable is missing.
 * Run: npx tsx scripts/gen-env-example.ts
 */
import { readFileSync, writeFileSync } from 'node:fs'

const ROOT = new URL('../', import.meta.url)
/** Where each process reads its variables, in the order the file lists them. */
export const CONFIG_SOURCES: readonly [title: string, file: string][] = [
  ['Every process', 'db/src/config.ts'],
  ['CLI (npm start, mnetifi …)', 'cli/src/config.ts'],
  ['API', 'api/src/config.ts'],
  ['Payments (M-Pesa Daraja) — API and worker', 'api/src/payments/config.ts'],
  ['Routers and WireGuard — API and worker', 'api/src/routeros/config.ts'],
  ['Notifications (SMS, WhatsApp, e-mail) — worker', 'api/src/notifications/config.ts'],
  ['Jobs worker process (mnetifi worker)', 'api/src/jobs/config.ts'],
  ['radiusd', 'radiusd/src/config.ts'],
  ['Daraja simulator (development)', 'api/src/daraja-sim/main.ts'],
]
/** Variables without a default that a production install must set. */
const REQUIRED = new Set(['DATABASE_URL', 'MNETIFI_SECRET_KEY', 'SESSION_SECRET'])

/** A schema entry: optional doc comment, `KEY:` and the rest of its line (the zod expression). */
const ENTRY = /(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?^\s*([A-Z][A-Z0-9_]{2,}):\s*([^\n]*)/gm

function entries(source: string): { key: string; doc: string; def: string | undefined }[] {
  const out: { key: string; doc: string; def: string | undefined }[] = []
  for (const m of source.matchAll(ENTRY)) {
    const raw = (m[1] ?? '').split('\n').map((l) => l.replace(/^\s*\*\s?/, '').trim()).join(' ').trim()
    const expr = m[3] ?? ''
    // The default: the doc's @defaultValue, else `.default(x)` or a helper's first argument (`port(1812)`).
    const def = (/@defaultValue\s+(\S+)/.exec(raw)?.[1] ?? /\.default\(([^()]*)\)/.exec(expr)?.[1] ?? /^[a-z]\w*\((\d+)\)/.exec(expr)?.[1])
      ?.replace(/^'(.*)'$/, '$1').replace(/_/g, '')
    const doc = raw.replace(/@defaultValue.*$/, '').trim()
    out.push({ key: m[2]!, doc, def })
  }
  return out
}

export function renderEnvExample(): string {
  const seen = new Set<string>()
  const lines = [
    '# Every environment variable MnetiFi reads, generated from the config schemas by scripts/gen-env-example.ts.',
    '# Copy to .env (docker compose reads it) and set the three required ones; the rest show their defaults.',
    '',
  ]
  for (const [title, file] of CONFIG_SOURCES) {
    const list = entries(readFileSync(new URL(file, ROOT), 'utf8')).filter((e) => !seen.has(e.key))
    if (!list.length) continue
    lines.push(`# ── ${title} (${file})`)
    for (const e of list) {
      seen.add(e.key)
      if (e.doc) lines.push(`# ${e.doc}`)
      lines.push(REQUIRED.has(e.key) ? `${e.key}=` : `# ${e.key}=${e.def && !e.def.includes(' ') ? e.def : ''}`)
    }
    lines.push('')
  }
  return `${lines.join('\n').trimEnd()}\n`
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('.env.example', ROOT), renderEnvExample())
  console.log('wrote .env.example')
}
