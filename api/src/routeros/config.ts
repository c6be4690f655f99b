/**
 * Settings of the router side of the API: WireGuard management tunnels, one-paste provisioning, router API
 * sessions and the ghost-session sweep. Part of the API's config (api/src/config.ts extends with it).
 */
import { z } from 'zod'

export const RouterConfigSchema = z.object({
  /** Network routers' WireGuard tunnel addresses come from; MnetiFi is its first host. @defaultValue '10.99.0.0/24' */
  VPN_NETWORK: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'must be an IPv4 network like 10.99.0.0/24').default('10.99.0.0/24'),
  /** The public host:port routers dial (the MnetiFi WireGuard server); provisioning is refused without it. */
  VPN_ENDPOINT: z.string().regex(/^.+:\d{1,5}$/, 'must be host:port').optional(),
  /** The server's WireGuard private key (`wg genkey`); provisioning is refused without it. */
  VPN_SERVER_PRIVATE_KEY: z.string().optional(),
  /** UDP port the server's WireGuard listens on. @defaultValue 51820 */
  VPN_LISTEN_PORT: z.coerce.number().int().min(1).max(65535).default(51820),
  /** Where the server's wg-quick file is written on every tunnel change. @defaultValue '/etc/wireguard/wg0.conf' */
  VPN_CONFIG_PATH: z.string().min(1).default('/etc/wireguard/wg0.conf'),
  /** The server's WireGuard interface, synced with `wg syncconf` when it is up. @defaultValue 'wg0' */
  VPN_INTERFACE: z.string().min(1).default('wg0'),
  /** radiusd's ports as routers reach them through the tunnel. @defaultValue 1812 / 1813 */
  PROVISIONING_RADIUS_AUTH_PORT: z.coerce.number().int().min(1).max(65535).default(1812),
  PROVISIONING_RADIUS_ACCT_PORT: z.coerce.number().int().min(1).max(65535).default(1813),
  /**
   * Hosts besides the portal that customers may open before login, comma-separated. The defaults let a phone on
   * the Wi-Fi only pay a Paybill in the M-Pesa / Safaricom app; STK push itself needs none (it reaches the phone
   * over the mobile network, and Daraja calls our server, not the phone).
   * @defaultValue 'm-pesa.com,*.m-pesa.com,safaricom.co.ke,*.safaricom.co.ke'
   */
  PROVISIONING_WALLED_GARDEN_HOSTS: z.string().default('m-pesa.com,*.m-pesa.com,safaricom.co.ke,*.safaricom.co.ke')
    .transform((v) => v.split(',').map((h) => h.trim()).filter(Boolean)),
  /** How long a one-line provisioning command works, in seconds (its URL serves secrets). @defaultValue 3600 */
  PROVISIONING_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).default(3600),
  /** How often every router's sessions are reconciled with radacct (ghost sessions), in seconds; 0 disables. @defaultValue 300 */
  GHOST_SESSION_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(300),
  /** How often MnetiFi issues due invoices to tenants and blocks overdue ones, in seconds; 0 disables. @defaultValue 3600 */
  SAAS_BILLING_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(3600),
  /** First retry delay of a router that did not apply a tenant's block/restore, ms (doubling, 20 attempts). @defaultValue 5000 */
  ROUTER_ENFORCE_RETRY_MS: z.coerce.number().int().min(10).default(5000),
  /** RouterOS API: connect + login deadline, ms. @defaultValue 5000 */
  ROUTER_API_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  /** RouterOS API: deadline per command, ms. @defaultValue 15000 */
  ROUTER_API_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** RouterOS API: an unused session is logged out after this many ms. @defaultValue 60000 */
  ROUTER_API_IDLE_MS: z.coerce.number().int().min(100).default(60_000),
})

/** The parsed router settings. */
export type RouterConfig = Readonly<z.infer<typeof RouterConfigSchema>>
