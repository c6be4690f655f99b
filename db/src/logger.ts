/**
 * The pino root logger. Built once by the entry point and passed down; components take children.
 */
import { pino, type Logger, type LoggerOptions } from 'pino'

/** Paths that must never reach a log line. */
export const REDACT_PATHS: readonly string[] = Object.freeze([
  '*.password', '*.secret', '*.shared_secret', '*.radius_secret', '*.router_api_pass', '*.passkey',
  '*.consumer_key', '*.consumer_secret', '*.security_credential', '*.mpesa_credentials', '*.token',
  'req.headers.authorization', 'req.headers.cookie', 'headers.authorization',
])

/** Creates the root logger; pretty output only when stdout is a terminal. */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  const base: LoggerOptions = {
    level: options.level ?? 'info',
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    ...(options.name ? { name: options.name } : {}),
  }
  if (process.stdout.isTTY) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } })
  }
  return pino(base)
}

export type { Logger }
