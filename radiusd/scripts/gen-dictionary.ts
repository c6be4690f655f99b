/**
 * Regenerates `radiusd/src/dictionary/generated.ts` from the vendored FreeRADIUS dictionaries in
 * `radiusd/dictionaries/`. `npm test` runs this and fails when the committed file differs (style §10).
 *
 *   npx tsx radiusd/scripts/gen-dictionary.ts
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { generateDictionarySource, type DictionaryFile } from './dictionary-parser.js'

/** Load order matters only for VALUE lines that extend attributes from earlier files; it is fixed here. */
export const DICTIONARY_FILES = Object.freeze([
  'dictionary.rfc2865', 'dictionary.rfc2866', 'dictionary.rfc2868', 'dictionary.rfc2869', 'dictionary.rfc3162',
  'dictionary.rfc3576', 'dictionary.rfc4818', 'dictionary.rfc5176', 'dictionary.rfc6911', 'dictionary.microsoft', 'dictionary.mikrotik',
  'dictionary.wispr',
])

const dir = new URL('../dictionaries/', import.meta.url)
const files: DictionaryFile[] = DICTIONARY_FILES.map((name) => ({ name, text: readFileSync(new URL(name, dir), 'utf8') }))
writeFileSync(new URL('../src/dictionary/generated.ts', import.meta.url), generateDictionarySource(files))
