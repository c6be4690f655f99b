export * from './test-database.js'
export * from './fixtures.js'
