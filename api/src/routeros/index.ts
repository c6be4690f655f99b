/** The RouterOS API client: pooled sessions over node-routeros and the typed operations MnetiFi uses. */
export * from './connection.js'
export * from './pool.js'
export * from './client.js'
export * from './client-config.js'
export * from './credentials.js'
export * from './values.js'
