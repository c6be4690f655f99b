import { describe, expect, it } from 'vitest'
import { en } from './en.js'
import { sw } from './sw.js'
import { format, initialLang } from './index.js'

describe('English and Swahili', () => {
  it('have exactly the same keys, none empty', () => {
    expect(Object.keys(sw).sort()).toEqual(Object.keys(en).sort())
    for (const [key, text] of [...Object.entries(en), ...Object.entries(sw)]) expect(text.trim(), key).not.toBe('')
  })

  it('use the same {slots} in both languages', () => {
    const slots = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    for (const key of Object.keys(en) as (keyof typeof en)[]) expect(slots(sw[key]), key).toEqual(slots(en[key]))
  })

  it('fill slots and leave a missing one visible', () => {
    expect(format('Pay {amount}', { amount: 'KSh 10' })).toBe('Pay KSh 10')
    expect(format('Call {phone}')).toBe('Call {phone}')
  })

  it('start in the remembered language, else the browser’s', () => {
    expect(initialLang('sw', ['en-US'])).toBe('sw')
    expect(initialLang(undefined, ['sw-KE', 'en'])).toBe('sw')
    expect(initialLang(undefined, ['en-KE'])).toBe('en')
    expect(initialLang('fr', [])).toBe('en')
  })
})
