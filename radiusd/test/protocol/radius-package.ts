/**
 * The `radius` npm package as an independent reference for our codec (issue 14, point 3). It is loaded with its
 * own RFC dictionaries and then with ours, so that ours win for every code both define (its loader lets the
 * last definition of a code win) and the MikroTik/Microsoft/WISPr VSAs exist at all.
 */
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import radius, { type LibDecoded } from 'radius'
import { findAttribute, findStandardAttribute, findVendorAttribute, type AttributeName } from '../../src/dictionary/index.js'

const dictionaries = fileURLToPath(new URL('../../dictionaries/', import.meta.url))
radius.load_dictionaries()
for (const file of readdirSync(dictionaries).sort()) radius.load_dictionary(dictionaries + file)

export { radius }

/** Decoded values as the package represents them: scalar or array per name, VSAs under 'Vendor-Specific'. */
export type LibValue = unknown

/** Our canonical name for a name the package printed (it keeps the last alias of a code, we the first). */
function canonicalName(name: string): AttributeName {
  const def = findAttribute(name)
  if (!def) throw new Error(`the package decoded ${name}, which our dictionary lacks`)
  const canonical = def.vendor === undefined ? findStandardAttribute(def.code) : findVendorAttribute(def.vendor, def.code)
  return canonical!.name
}

/**
 * The package's attributes as a map like ours (always arrays). Wire order across different names is not kept by
 * the package's hash; within one name it is.
 */
export function libAttributes(decoded: LibDecoded): Map<AttributeName, LibValue[]> {
  const out = new Map<AttributeName, LibValue[]>()
  const add = (name: string, value: unknown): void => {
    const values = Array.isArray(value) ? splitValues(name, value) : [value]
    out.set(canonicalName(name), [...(out.get(canonicalName(name)) ?? []), ...values])
  }
  for (const [name, value] of Object.entries(decoded.attributes)) {
    if (name === 'Vendor-Specific') {
      for (const [vname, vvalue] of Object.entries(value as Record<string, unknown>)) add(vname, vvalue)
    } else if (name !== 'Message-Authenticator') add(name, value)
  }
  return out
}

/**
 * A tagged attribute decodes as `[tag, value]`. Repeated, the package pushes the later pairs into the first pair's
 * array (`[tag, v1, [tag, v2], …]`: its "is it already an array?" test cannot tell a pair from a list), so the
 * first two elements are one pair and each later element a pair.
 */
function splitValues(name: string, value: unknown[]): unknown[] {
  if (!findAttribute(name)?.hasTag || typeof value[0] !== 'number') return value
  return [[value[0], value[1]], ...value.slice(2)]
}

/** A list of `[name, value]` in the package's encode syntax: VSAs wrapped in `['Vendor-Specific', id, [...]]`. */
export function libAttributeList(list: ReadonlyArray<readonly [AttributeName, unknown]>): unknown[][] {
  return list.map(([name, value]) => {
    const def = findAttribute(name)!
    return def.vendor === undefined ? [name, value] : ['Vendor-Specific', def.vendor, [[name, value]]]
  })
}
