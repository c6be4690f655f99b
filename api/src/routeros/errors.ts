/**
 * node-routeros failures → AppError with a message an ISP admin can act on. The library reports socket problems as
 * `RosException` with an errno (ECONNREFUSED, SOCKTMOUT…), a refused login as errno `CANTLOGIN`, and a `!trap` as a
 * plain Error carrying the router's own message. The router's password never appears in any of them.
 */
import { getSystemErrorName } from 'node:util'
import { AppError } from '@mnetifi/db/domain'

/** errnos of node-routeros's RosException that mean "no usable connection". */
const NETWORK_ERRNOS: Readonly<Record<string, string>> = Object.freeze({
  ECONNREFUSED: 'connection refused (is the API service enabled on that port?)',
  EHOSTUNREACH: 'no route to the router',
  ENETUNREACH: 'no route to the router',
  EHOSTDOWN: 'the router is down',
  ETIMEDOUT: 'the connection timed out',
  ECONNRESET: 'the router reset the connection',
  EPIPE: 'the router closed the connection',
  SOCKTMOUT: 'the router stopped answering',
  ENOTFOUND: 'the router address does not resolve',
  EAI_AGAIN: 'the router address does not resolve',
})

/** node-routeros passes Node's numeric errno (-111) for socket errors and its own names (CANTLOGIN) otherwise. */
function errnoOf(err: unknown): string | undefined {
  if (!err || typeof err !== 'object' || !('errno' in err)) return undefined
  if (typeof err.errno === 'string') return err.errno
  if (typeof err.errno === 'number' && err.errno < 0) {
    try {
      return getSystemErrorName(err.errno)
    } catch {
      return `errno ${err.errno}`
    }
  }
  return undefined
}

/** "router 10.99.0.2:8728" — how messages name the router (never with credentials). */
export type RouterLabel = string

/** The router did not answer, or the connection died. */
export function unreachable(router: RouterLabel, why: string, cause?: unknown): AppError {
  return new AppError('ROUTER_UNREACHABLE', `Router ${router} is unreachable: ${why}`, cause === undefined ? {} : { cause })
}

/** Maps an error thrown while connecting and logging in. */
export function connectError(router: RouterLabel, err: unknown): AppError {
  const errno = errnoOf(err)
  if (errno === 'CANTLOGIN') {
    return new AppError('ROUTER_AUTH_FAILED', `Router ${router} refused the API user name or password (check the user exists and its group has the api policy)`, { cause: err })
  }
  if (errno !== undefined) return unreachable(router, NETWORK_ERRNOS[errno] ?? `socket error ${errno}`, err)
  // A RosException without errno is a TLS or socket error node-routeros could not name.
  if (err instanceof Error && err.name === 'RosException') return unreachable(router, 'TLS handshake or socket failure (does API-SSL have a certificate?)', err)
  // A plain Error during login is the router's !trap to /login.
  if (err instanceof Error) return new AppError('ROUTER_AUTH_FAILED', `Router ${router} refused the login: ${err.message}`, { cause: err })
  return unreachable(router, String(err), err)
}

/** Maps an error thrown by a command on an open connection. */
export function commandError(router: RouterLabel, command: string, err: unknown): AppError {
  const errno = errnoOf(err)
  if (errno !== undefined) return unreachable(router, `${NETWORK_ERRNOS[errno] ?? `socket error ${errno}`} during ${command}`, err)
  if (err instanceof Error && err.name !== 'RosException') {
    return new AppError('ROUTER_COMMAND_REFUSED', `Router ${router} refused ${command}: ${err.message}`, { cause: err })
  }
  return unreachable(router, `connection failed during ${command}`, err)
}
