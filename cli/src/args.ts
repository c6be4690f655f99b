/**
 * Argument parsing for the CLI on node:util parseArgs, with one error type that main() turns into a usage
 * message and exit code 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'

/** Bad arguments: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string, readonly usage?: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** `--help` / `-h`: main() prints the command's usage on stdout and exits 0. */
export class HelpRequested extends UsageError {
  constructor(usage: string) {
    super('help', usage)
    this.name = 'HelpRequested'
  }
}

type Options = NonNullable<ParseArgsConfig['options']>

/**
 * Parses `argv` strictly; unknown flags and missing values become a UsageError carrying `usage`, and `--help` or
 * `-h` (before any `--`) a {@link HelpRequested}.
 */
export function parse<O extends Options>(argv: string[], options: O, usage: string) {
  const end = argv.indexOf('--')
  if ((end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h')) throw new HelpRequested(usage)
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (err) {
    throw new UsageError((err as Error).message, usage)
  }
}

/** The value of a required string flag, or a UsageError naming it. */
export function required(values: Record<string, unknown>, name: string, usage: string): string {
  const v = values[name]
  if (typeof v !== 'string' || v.length === 0) throw new UsageError(`--${name} is required`, usage)
  return v
}

/** Converts a flag with `convert`, or throws a UsageError naming the flag and what it expects. */
export function convert<T>(values: Record<string, unknown>, name: string, fn: (s: string) => T | undefined, expects: string, usage: string): T | undefined {
  const v = values[name]
  if (v === undefined) return undefined
  const out = typeof v === 'string' ? fn(v) : undefined
  if (out === undefined) throw new UsageError(`--${name} ${JSON.stringify(v)} is not ${expects}`, usage)
  return out
}

/** Prints rows as an aligned table. */
export function printTable(rows: Record<string, unknown>[], out: (line: string) => void = console.log): void {
  if (rows.length === 0) { out('(none)'); return }
  const keys = Object.keys(rows[0]!)
  const cell = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? '' : String(v))
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell(r[k]).length)))
  out(keys.map((k, i) => k.padEnd(widths[i]!)).join('  '))
  for (const r of rows) out(keys.map((k, i) => cell(r[k]).padEnd(widths[i]!)).join('  '))
}
