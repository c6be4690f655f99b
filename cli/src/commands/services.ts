/**
 * The long-running processes. Each command parses its own config from the environment (the CLI is the only
 * place that reads it), builds the logger and database handle, starts the service and waits for SIGINT/SIGTERM.
 */
import type { Command } from '../context.js'

/** Services `mnetifi start` supervises, in start order. */
export const SUPERVISED_SERVICES: readonly string[] = Object.freeze([])

export const SERVICE_COMMANDS: Readonly<Record<string, { run: Command; help: string }>> = Object.freeze({})
