/**
 * The deployment files, checked without a container engine (none runs here):
 * - docker/compose.yaml is valid for Debian's docker-compose and refuses to start without its secrets;
 * - every command a compose service runs, and the image's ENTRYPOINT/CMD, is a real `mnetifi` command (each
 *   prints its own usage for --help and exits 0);
 * - every long-running MnetiFi service has a healthcheck, on the port and path its config defaults to;
 * - docker/Dockerfile pins Node exactly (a release package.json's engines accepts) and runs as `node`;
 * - the build context (.dockerignore, listed by the same docker-py code docker-compose builds it with) leaves out
 *   tests, benchmarks and docs, yet the CLI runs from a copy of it: every module the runtime imports is there.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { describe, expect, it } from 'vitest'
import { ConfigSchema as ApiConfigSchema, RouterConfigSchema } from '@mnetifi/api'
import { ConfigSchema as RadiusdConfigSchema } from '@mnetifi/radiusd'
import { ROOT } from './processes.js'

const FILE = join(ROOT, 'docker/compose.yaml')
const SECRETS = {
  POSTGRES_PASSWORD: 'pw', MNETIFI_SECRET_KEY: 'k1:abc', SESSION_SECRET: 's'.repeat(48), PUBLIC_BASE_URL: 'https://mnetifi.example.test',
  VPN_SERVER_PRIVATE_KEY: 'key', VPN_ENDPOINT: 'vpn.example.test:51820',
}

function compose(env: Record<string, string>, ...args: string[]) {
  const { PATH, HOME } = process.env
  return spawnSync('docker-compose', ['-f', FILE, 'config', ...args], { env: { PATH: PATH!, HOME: HOME!, ...env }, encoding: 'utf8' })
}

interface Service {
  image?: string
  network_mode?: string
  cap_add?: string[]
  ports?: { published: number; target: number; protocol?: string }[]
  volumes?: string[]
  depends_on?: Record<string, { condition: string }>
  build?: { context: string; dockerfile: string; target?: string }
  command?: string[]
  restart?: string
  healthcheck?: { test: string[] }
}

/** The compose file as docker-compose resolves it. */
function rendered(): Record<string, Service> {
  const r = compose(SECRETS)
  expect(r.status, r.stderr).toBe(0)
  return (parseYaml(r.stdout) as { services: Record<string, Service> }).services
}

/** The services running the MnetiFi image (built from docker/Dockerfile's final stage). */
function mnetifiServices(services: Record<string, Service>): [string, Service][] {
  return Object.entries(services).filter(([, s]) => s.image === 'mnetifi:latest')
}

function cli(args: string[], cwd = ROOT) {
  return spawnSync(process.execPath, ['cli/bin/mnetifi.js', ...args], {
    cwd, encoding: 'utf8', env: { PATH: process.env.PATH!, HOME: process.env.HOME!, NODE_ENV: 'production', MNETIFI_SECRET_KEY: 'k1:abc' },
  })
}

const dockerfile = readFileSync(join(ROOT, 'docker/Dockerfile'), 'utf8')
/** The last stage: the MnetiFi image a build without a target gives. */
const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM ') + 1)

describe('docker/compose.yaml', () => {
  it('is valid and runs every MnetiFi process from one image after the migration', () => {
    const r = compose(SECRETS, '--services')
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout.trim().split('\n').sort()).toEqual(['api', 'migrate', 'postgres', 'radiusd', 'redis', 'wireguard', 'wireguard-config', 'worker'])
    expect(mnetifiServices(rendered()).map(([name]) => name).sort()).toEqual(['api', 'migrate', 'radiusd', 'wireguard-config', 'worker'])
  })

  it('refuses to render without each secret it needs', () => {
    for (const name of ['MNETIFI_SECRET_KEY', 'SESSION_SECRET', 'VPN_SERVER_PRIVATE_KEY', 'VPN_ENDPOINT']) {
      const r = compose(Object.fromEntries(Object.entries(SECRETS).filter(([k]) => k !== name)), '-q')
      expect(r.status, name).not.toBe(0)
      expect(r.stderr).toMatch(new RegExp(`set ${name}\\b`))
    }
  })

  it('runs radiusd, api and worker in the wireguard service\'s network namespace, with the tunnel and their ports there', () => {
    const services = rendered()
    const router = RouterConfigSchema.parse({})
    const wg = services.wireguard!
    expect(wg.build).toEqual({ context: ROOT.replace(/\/$/, ''), dockerfile: 'docker/Dockerfile', target: 'wireguard' })
    expect(wg.cap_add).toEqual(['NET_ADMIN'])
    expect(wg.ports).toEqual([
      { protocol: 'udp', published: router.VPN_LISTEN_PORT, target: router.VPN_LISTEN_PORT },
      { protocol: 'udp', published: RadiusdConfigSchema.shape.RADIUS_AUTH_PORT.parse(undefined), target: 1812 },
      { protocol: 'udp', published: RadiusdConfigSchema.shape.RADIUS_ACCT_PORT.parse(undefined), target: 1813 },
      { published: ApiConfigSchema.shape.API_PORT.parse(undefined), target: 3000 },
    ])
    expect(wg.healthcheck!.test).toEqual(['CMD', 'wg', 'show', router.VPN_INTERFACE])
    for (const name of ['radiusd', 'api', 'worker']) {
      expect(services[name]!.network_mode, name).toBe('service:wireguard')
      expect(services[name]!.ports, name).toBeUndefined()
      expect(services[name]!.depends_on!.wireguard, name).toEqual({ condition: 'service_healthy' })
    }
    // One volume holds VPN_CONFIG_PATH: written first by wireguard-config, rewritten by the API, applied by wireguard.
    const volume = `wireguard:${dirname(router.VPN_CONFIG_PATH)}:rw`
    expect(['wireguard-config', 'api', 'wireguard'].map((n) => services[n]!.volumes)).toEqual([[volume], [volume], [volume]])
    expect(services['wireguard-config']!.command).toEqual(['vpn', 'server-config', '--out', router.VPN_CONFIG_PATH])
    expect(wg.depends_on).toEqual({ 'wireguard-config': { condition: 'service_completed_successfully' } })
  })

  it('the wireguard stage runs docker/wireguard/run.sh (valid sh) with wg-quick and ip installed', () => {
    const stage = dockerfile.slice(dockerfile.indexOf('AS wireguard'), dockerfile.indexOf('FROM', dockerfile.indexOf('AS wireguard')))
    expect(stage).toMatch(/apt-get install -y --no-install-recommends wireguard-tools iproute2/)
    expect(stage).toMatch(/^COPY docker\/wireguard\/run\.sh \/usr\/local\/bin\/mnetifi-wireguard$/m)
    expect(stage).toMatch(/^ENTRYPOINT \["\/usr\/local\/bin\/mnetifi-wireguard"\]$/m)
    const syntax = spawnSync('sh', ['-n', join(ROOT, 'docker/wireguard/run.sh')], { encoding: 'utf8' })
    expect({ status: syntax.status, stderr: syntax.stderr }).toEqual({ status: 0, stderr: '' })
    expect(statSync(join(ROOT, 'docker/wireguard/run.sh')).mode & 0o111).toBe(0o111)
  })

  it('runs only real mnetifi commands: each prints its own usage for --help and exits 0', () => {
    const commands = mnetifiServices(rendered()).map(([, s]) => s.command!)
    expect(commands.map((c) => c.join(' ')).sort()).toEqual(['api', 'migrate up', 'radiusd', 'vpn server-config --out /etc/wireguard/wg0.conf', 'worker'])
    for (const command of commands) {
      const r = cli([...command, '--help'])
      expect({ command, status: r.status, stderr: r.stderr }).toEqual({ command, status: 0, stderr: '' })
      const words = command.filter((_, i) => !command.slice(0, i + 1).some((w) => w.startsWith('-')))
      expect(r.stdout).toMatch(new RegExp(`^usage:\\nmnetifi ${words.join(' ')}\\b`))
    }
  })

  it('gives every long-running MnetiFi service a healthcheck on the port and path its config defaults to', () => {
    const defaults = {
      api: `${ApiConfigSchema.shape.API_PORT.parse(undefined)}/api/ready`,
      radiusd: `${RadiusdConfigSchema.shape.RADIUS_METRICS_PORT.parse(undefined)}/ready`,
      worker: `${ApiConfigSchema.shape.WORKER_HEALTH_PORT.parse(undefined)}/ready`,
    }
    expect(defaults).toEqual({ api: '3000/api/ready', radiusd: '9812/ready', worker: '9813/ready' })
    const checked = Object.fromEntries(mnetifiServices(rendered()).filter(([, s]) => s.restart !== 'no').map(([name, s]) => {
      const test = s.healthcheck?.test ?? []
      expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e'])
      const url = /fetch\('http:\/\/127\.0\.0\.1:(\d+)(\/[^']*)'\)\.then\(\(r\) => process\.exit\(r\.ok \? 0 : 1\), \(\) => process\.exit\(1\)\)/.exec(test[3] ?? '')
      return [name, url ? `${url[1]}${url[2]}` : test.join(' ')]
    }))
    expect(checked).toEqual(defaults)
  })
})

describe('docker/Dockerfile', () => {
  it('pins one exact Node 20 release that package.json engines accepts, and runs as node', () => {
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]!).filter((f) => f.startsWith('node:'))
    expect(froms.length).toBe(2)
    const pinned = /^node:(20)\.(\d+)\.(\d+)-bookworm-slim$/.exec(froms[0]!)
    expect(pinned, froms[0]).not.toBeNull()
    expect(new Set(froms)).toEqual(new Set([froms[0]]))
    const engines = /^>=(\d+)\.(\d+)$/.exec((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node)!
    expect(Number(pinned![1]) === Number(engines[1]) && Number(pinned![2]) >= Number(engines[2])).toBe(true)
    expect(finalStage).toMatch(/^FROM node:/)
    expect(finalStage.trimEnd().split('\n').filter((l) => /^(USER|ENTRYPOINT|CMD) /.test(l))).toEqual([
      'USER node', 'ENTRYPOINT ["node", "cli/bin/mnetifi.js"]', 'CMD ["--help"]',
    ])
  })

  it('ENTRYPOINT is the CLI and CMD its help: the file exists and prints the command list', () => {
    const entrypoint = JSON.parse(/^ENTRYPOINT (.*)$/m.exec(finalStage)![1]!) as string[]
    const cmd = JSON.parse(/^CMD (.*)$/m.exec(finalStage)![1]!) as string[]
    expect(entrypoint).toEqual(['node', 'cli/bin/mnetifi.js'])
    expect(existsSync(join(ROOT, entrypoint[1]!))).toBe(true)
    const r = cli(cmd)
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^usage: mnetifi <command> \[options\]\n/)
    for (const command of ['radiusd', 'api', 'worker', 'migrate']) expect(r.stdout).toMatch(new RegExp(`^  ${command} `, 'm'))
  })
})

describe('.dockerignore', () => {
  /** The context docker-compose sends: docker-py's exclude_paths over .dockerignore, as `docker-compose build` uses it. */
  const context = (): string[] => {
    const r = spawnSync('python3', ['-c', [
      'import sys',
      'from docker.utils.build import exclude_paths',
      "patterns = [l.strip() for l in open('.dockerignore') if l.strip() and not l.startswith('#')]",
      "print('\\n'.join(sorted(exclude_paths('.', patterns))))",
    ].join('\n')], { cwd: ROOT, encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    return r.stdout.trim().split('\n').filter((f) => statSync(join(ROOT, f)).isFile())
  }

  it('leaves out tests, benchmarks, test results, docs and tooling, keeps every source and the apps\' build inputs', () => {
    const files = context()
    const left = files.filter((f) => /(^|\/)(test|tests|bench|testing|test-results|node_modules|dist|\.git)\//.test(f) || /\.test\.tsx?$|\.md$/.test(f))
    expect(left).toEqual([])
    for (const needed of [
      'package.json', 'package-lock.json', 'tsconfig.json', 'cli/bin/mnetifi.js', 'cli/src/main.ts', 'api/src/index.ts', 'radiusd/src/main.ts',
      'db/src/index.ts', 'vpn/src/index.ts', 'migrations/src/index.ts', 'portal/index.html', 'portal/vite.config.ts', 'admin/index.html',
      'admin/vite.config.ts', 'ui/build/precompress.ts', 'ui/src/theme.css',
    ]) expect(files, needed).toContain(needed)
    expect(files.filter((f) => f.startsWith('migrations/src/')).length).toBeGreaterThan(10)
  })

  it('keeps everything the runtime imports: the CLI and each service command run from a copy of the context', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mnetifi-context-'))
    try {
      for (const f of context()) {
        mkdirSync(dirname(join(dir, f)), { recursive: true })
        cpSync(join(ROOT, f), join(dir, f))
      }
      // The image installs its own node_modules; here the third-party packages are linked, the workspaces are
      // the copied ones (so a module left out of the context cannot be found in this checkout instead).
      mkdirSync(join(dir, 'node_modules/@mnetifi'), { recursive: true })
      for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
        if (entry !== '@mnetifi') symlinkSync(join(ROOT, 'node_modules', entry), join(dir, 'node_modules', entry))
      }
      for (const ws of readdirSync(join(ROOT, 'node_modules/@mnetifi'))) symlinkSync(`../../${ws}`, join(dir, 'node_modules/@mnetifi', ws))
      const help = cli(['--help'], dir)
      expect(help.status, help.stderr).toBe(0)
      for (const command of [['radiusd'], ['api'], ['worker'], ['migrate', 'up'], ['daraja-sim'], ['backup']]) {
        const r = cli([...command, '--help'], dir)
        expect({ command, status: r.status, stderr: r.stderr }).toEqual({ command, status: 0, stderr: '' })
      }
      // The services' own modules load too (main.ts imports them statically; this proves it for the ones the
      // CLI reaches only at run time).
      const load = spawnSync(process.execPath, ['--import', 'tsx', '-e', [
        "await import('@mnetifi/api'); await import('@mnetifi/radiusd'); await import('@mnetifi/migrations'); await import('@mnetifi/vpn')",
        "console.log('loaded')",
      ].join('\n')], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH!, HOME: process.env.HOME! } })
      expect(load.stderr).toBe('')
      expect(load.stdout).toBe('loaded\n')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
