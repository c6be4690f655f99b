/**
 * @mnetifi/radiusd — MnetiFi's RADIUS server (auth, accounting, CoA/Disconnect). The CLI calls
 * {@link startRadiusd} with a config from {@link loadConfig}. Other workspaces import only `@mnetifi/radiusd/coa`.
 */
export { startRadiusd } from './main.js'
export type { RadiusdDeps, RunningRadiusd } from './main.js'
export { ConfigSchema, loadConfig } from './config.js'
export type { Config } from './config.js'
