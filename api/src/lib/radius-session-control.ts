/**
 * SessionControl backed by radiusd's RFC 5176 client (`@mnetifi/radiusd/coa`, the one radiusd entry point
 * api may import).
 */
import { createCoaClient, type CoaClient, type IdentificationAttribute } from '@mnetifi/radiusd/coa'
import type { Logger } from '@mnetifi/db'
import type { CoaOutcome, SessionControl } from './session-control.js'

/** A SessionControl plus the close() that releases its UDP sockets. */
export interface RadiusSessionControl extends SessionControl {
  close(): Promise<void>
}

function toOutcome(result: Awaited<ReturnType<CoaClient['disconnect']>>): CoaOutcome {
  if (result.kind === 'nak') return typeof result.errorCause === 'number' ? { kind: 'nak', errorCause: result.errorCause } : { kind: 'nak' }
  return { kind: result.kind }
}

/** Wraps a new CoA client with the API's retry policy. */
export function createRadiusSessionControl(options: { retryMs: number; maxAttempts: number; log?: Logger }): RadiusSessionControl {
  const client = createCoaClient({ retryMs: options.retryMs, maxAttempts: options.maxAttempts, ...(options.log ? { log: options.log } : {}) })
  return {
    async disconnect(target, attributes) {
      return toOutcome(await client.disconnect({ ...target, attributes: attributes as Partial<Record<IdentificationAttribute, string | number>> }))
    },
    async changeAuthorization(target, attributes) {
      return toOutcome(await client.changeAuthorization({ ...target, attributes: attributes as never }))
    },
    close: () => client.close(),
  }
}
