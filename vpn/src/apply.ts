/**
 * Writing the server's wg0.conf and applying it to the running interface without dropping sessions:
 * `wg syncconf <iface> <(wg-quick strip <file>)` where the `wg` tools exist and the interface is up; otherwise the
 * file alone (wg-quick reads it at the next `wg-quick up`). The outcome says which happened and why.
 */
import { execFile } from 'node:child_process'
import { chmod, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Where and how to apply. */
export interface ApplyOptions {
  /** The wg-quick file, e.g. /etc/wireguard/wg0.conf. */
  readonly path: string
  /** The interface to sync. @defaultValue 'wg0' */
  readonly interfaceName?: string
  /** The `wg` and `wg-quick` executables. @defaultValue 'wg', 'wg-quick' (from PATH) */
  readonly wgCommand?: string
  readonly wgQuickCommand?: string
}

/** What applying did. */
export type ApplyOutcome = { readonly method: 'syncconf' } | { readonly method: 'file'; readonly reason: string }

/** Writes `config` atomically (mode 0600: it holds the private key), then syncs the interface when possible. */
export async function applyServerConfig(config: string, options: ApplyOptions): Promise<ApplyOutcome> {
  const tmp = join(dirname(options.path), `.${Date.now()}-${process.pid}.tmp`)
  await writeFile(tmp, config, { mode: 0o600 })
  await chmod(tmp, 0o600)
  await rename(tmp, options.path)
  const iface = options.interfaceName ?? 'wg0'
  let stripped: string
  try {
    stripped = (await run(options.wgQuickCommand ?? 'wg-quick', ['strip', options.path])).stdout
  } catch (err) {
    return { method: 'file', reason: reasonOf(err, 'wg-quick') }
  }
  const dir = await mkdtemp(join(tmpdir(), 'mnetifi-wg-'))
  try {
    const file = join(dir, `${iface}.conf`)
    await writeFile(file, stripped, { mode: 0o600 })
    await run(options.wgCommand ?? 'wg', ['syncconf', iface, file])
    return { method: 'syncconf' }
  } catch (err) {
    return { method: 'file', reason: reasonOf(err, 'wg') }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function reasonOf(err: unknown, tool: string): string {
  const e = err as { code?: unknown; stderr?: unknown }
  if (e.code === 'ENOENT') return `${tool} is not installed`
  const stderr = typeof e.stderr === 'string' ? e.stderr.trim() : ''
  return stderr ? `${tool}: ${stderr.split('\n')[0]}` : `${tool} failed`
}
