/**
 * `@mnetifi/radiusd/coa` — the only radiusd entry point other workspaces may import (style §1):
 * RFC 5176 Disconnect/CoA client.
 */
export { createCoaClient, IDENTIFICATION_ATTRIBUTES } from './client.js'
export type {
  ChangeAuthorizationRequest, CoaClient, CoaClientOptions, CoaResult, CoaTarget, DisconnectRequest, IdentificationAttribute,
} from './client.js'
