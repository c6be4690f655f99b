import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ConfigSchema as ApiConfigSchema } from '@mnetifi/api'
import { ConfigSchema as RadiusdConfigSchema } from '@mnetifi/radiusd'
import { DarajaSimEnvSchema } from '@mnetifi/api'
import { CliConfigSchema } from '../src/config.js'
import { renderEnvExample } from '../../scripts/gen-env-example.js'

const committed = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8')

describe('.env.example', () => {
  it('lists every variable any process reads', () => {
    const keys = new Set([ApiConfigSchema, RadiusdConfigSchema, CliConfigSchema, DarajaSimEnvSchema].flatMap((s) => Object.keys(s.shape)))
    const listed = new Set([...committed.matchAll(/^(?:# )?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]))
    expect([...keys].filter((k) => !listed.has(k))).toEqual([])
    expect(keys.size).toBeGreaterThan(80)
  })

  it('is what scripts/gen-env-example.ts writes today (regenerate it after changing a config schema)', () => {
    expect(committed).toBe(renderEnvExample())
  })
})
