/**
 * An emulated router with its API service listening on 127.0.0.1, and the MnetiFi API user provisioning creates,
 * for tests: `startEmulatedRouter()` → { router, api, target } where `target` is what the client connects with.
 */
import type { RouterTarget } from '../../../src/routeros/index.js'
import { RouterApiServer, type RouterApiServerOptions } from './api-server.js'
import { EmulatedRouter, type RouterOptions } from './router.js'

/** The API user tests log in as. */
export const API_USER = 'mnetifi'
export const API_PASSWORD = 'router-api-pass-0123'

/** A running emulated router. */
export interface RunningRouter {
  readonly router: EmulatedRouter
  readonly api: RouterApiServer
  readonly port: number
  /** Connects as {@link API_USER} (plain API, or API-SSL accepting the self-signed certificate). */
  readonly target: RouterTarget
  close(): Promise<void>
}

/** Starts a router whose API accepts {@link API_USER}; `withApiUser: false` leaves only admin. */
export async function startEmulatedRouter(options: RouterOptions & RouterApiServerOptions & { withApiUser?: boolean } = {}): Promise<RunningRouter> {
  const router = new EmulatedRouter(options)
  if (options.withApiUser !== false) {
    router.add('/user/group', { name: 'mnetifi-api', policy: 'read,write,api,test,sensitive' })
    router.add('/user', { name: API_USER, group: 'mnetifi-api', password: API_PASSWORD })
  }
  const api = new RouterApiServer(router, { ...(options.tls ? { tls: options.tls } : {}), ...(options.tunnelSource ? { tunnelSource: options.tunnelSource } : {}) })
  const port = await api.listen()
  return {
    router, api, port,
    target: { host: '127.0.0.1', port, tls: options.tls ? true : false, user: API_USER, password: API_PASSWORD },
    async close() {
      await api.close()
      await router.close()
    },
  }
}
