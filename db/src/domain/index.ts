/**
 * Pure domain logic shared by every workspace and the browser apps: no `pg`, no `node:` imports.
 */
export * from './enums.js'
export * from './rate-limit.js'
export * from './phone.js'
export * from './expiry.js'
export * from './money.js'
export * from './errors.js'
export * from './units.js'
export * from './calendar.js'
