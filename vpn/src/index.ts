export * from './keys.js'
export * from './addresses.js'
export * from './configs.js'
