import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DictionaryParseError, generateDictionarySource } from '../../scripts/dictionary-parser.js'
import { findAttribute, findStandardAttribute, findVendorAttribute } from '../../src/dictionary/index.js'

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/dictionaries/${name}`, import.meta.url), 'utf8')

describe('dictionary generator', () => {
  it('turns small.dictionary into exactly small.expected.ts (golden file)', () => {
    expect(generateDictionarySource([{ name: 'small.dictionary', text: fixture('small.dictionary') }]))
      .toBe(fixture('small.expected.ts'))
  })

  it.each([
    ['an unknown keyword', 'bad-keyword.dictionary', 'bad-keyword.dictionary:2: unknown keyword $INCLUDE'],
  ])('names file and line for %s', (_what, file, message) => {
    expect(() => generateDictionarySource([{ name: file, text: fixture(file) }])).toThrowError(new DictionaryParseError(file, 2, 'unknown keyword $INCLUDE'))
    expect(() => generateDictionarySource([{ name: file, text: fixture(file) }])).toThrow(message)
  })

  it.each([
    ['ATTRIBUTE X 1 float', 'a.dict:1: unknown type float'],
    ['VALUE Nope A 1', 'a.dict:1: VALUE for unknown attribute Nope'],
    ['BEGIN-VENDOR Acme', 'a.dict:1: unknown vendor Acme'],
    ['ATTRIBUTE X 1 string\nATTRIBUTE X 2 string', 'a.dict:2: duplicate attribute X'],
  ])('rejects %j with %s', (text, message) => {
    expect(() => generateDictionarySource([{ name: 'a.dict', text }])).toThrow(message)
  })
})

describe('runtime dictionary (from the vendored FreeRADIUS files)', () => {
  it('knows the standard, Microsoft and MikroTik attributes the server relies on', () => {
    expect(findStandardAttribute(80)?.name).toBe('Message-Authenticator')
    expect(findVendorAttribute(14988, 8)?.name).toBe('Mikrotik-Rate-Limit')
    expect(findVendorAttribute(311, 25)?.name).toBe('MS-CHAP2-Response')
    expect(findAttribute('Acct-Terminate-Cause')?.valueNames?.get(11)).toBe('NAS-Reboot')
    expect(findAttribute('MS-MPPE-Send-Key')?.encrypt).toBe(2)
  })
})
