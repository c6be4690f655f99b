import { defineConfig } from 'vitest/config'

// Two cores here: suites run in two forked workers; each suite creates its own database and Redis prefix.
export default defineConfig({
  test: {
    globals: false,
    include: ['*/src/**/*.test.ts', '*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
