#!/usr/bin/env node
// `npm test`: fail fast when Postgres or Redis is down, check generated files and types, run every suite, and
// end with one `N passed, N failed` line (CI reads it).
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync, existsSync } from 'node:fs'
import { connect } from 'node:net'

const root = new URL('..', import.meta.url).pathname
const pgUrl = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port), timeout: 3000 })
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => { socket.destroy(); resolve(false) })
  })
}

const problems = []
if (!(await reachable(pgUrl.hostname, pgUrl.port || 5432))) {
  problems.push(`Postgres is not reachable at ${pgUrl.host}. Start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`)
}
if (!(await reachable(redisUrl.hostname, redisUrl.port || 6379))) {
  problems.push(`Redis is not reachable at ${redisUrl.host}. Start it: redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no`)
}
if (problems.length) {
  console.error(problems.join('\n'))
  console.log('0 passed, 1 failed')
  process.exit(1)
}

let extraFailed = 0
function step(name, cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) {
    console.error(`✗ ${name} failed`)
    extraFailed++
  } else console.log(`✓ ${name}`)
}

if (existsSync(`${root}/radiusd/scripts/gen-dictionary.ts`)) {
  step('generated dictionary is up to date', 'sh', ['-c', 'npx tsx radiusd/scripts/gen-dictionary.ts && git diff --exit-code -- radiusd/src/dictionary/generated.ts'])
}
step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json'])
step('typecheck (browser apps)', 'npx', ['tsc', '-p', 'tsconfig.web.json'])
step('typecheck (browser apps\' unit tests)', 'npx', ['tsc', '-p', 'tsconfig.web-tests.json'])
// The apps' typed client comes from the API's own OpenAPI document: regenerate it and fail on drift.
step('API client is up to date with the API', 'sh', ['-c', 'npx tsx ui/scripts/gen-api-client.ts >/dev/null && git diff --exit-code -- ui/src/api/schema.d.ts'])
step('lint (browser apps: React hooks rules)', 'npx', ['eslint', 'ui/src', 'portal/src', 'admin/src'])
step('format (browser apps)', 'npx', ['prettier', '--check', '--log-level', 'warn', 'ui', 'portal', 'admin', 'eslint.config.js'])
// The browser tests load the built apps, as production serves them.
step('build the portal', 'npm', ['run', 'build', '--silent', '-w', '@mnetifi/portal'])
step('build the admin dashboard', 'npm', ['run', 'build', '--silent', '-w', '@mnetifi/admin'])

const report = `${root}/test-results/vitest.json`
rmSync(report, { force: true })
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]
const run = spawnSync('npx', args, { cwd: root, stdio: 'inherit' })

let passed = 0
let failed = 0
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'))
  passed = json.numPassedTests
  // A file that failed without a failing test (an error in beforeAll, an import error) counts once.
  const brokenFiles = (json.testResults ?? []).filter((f) => f.status === 'failed' && !f.assertionResults?.some((a) => a.status === 'failed')).length
  failed = json.numFailedTests + brokenFiles
  if (json.numTodoTests || json.numPendingTests) {
    console.error(`skipped or todo tests are not allowed here: ${json.numPendingTests} pending, ${json.numTodoTests} todo`)
    failed += json.numPendingTests + json.numTodoTests
  }
} else {
  failed = 1
}
failed += extraFailed
if (run.status !== 0 && failed === 0) failed = 1
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
