#!/usr/bin/env node
// The `mnetifi` command. TypeScript runs through tsx's loader, so there is no build step to forget.
import { register } from 'tsx/esm/api'

// `mnetifi … | head` closes stdout early: that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0)
  throw err
})

register()
const { main } = await import('../src/main.ts')
process.exitCode = await main(process.argv.slice(2))
