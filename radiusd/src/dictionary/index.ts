/**
 * Runtime lookups over the generated dictionary, built once at module load (style §11: never lazily on the
 * first packet). Wire format and types come from the same generated tables, so they cannot disagree.
 */
import { ATTRIBUTES, type AttributeName } from './generated.js'

export * from './generated.js'

/** One attribute definition with its name and reverse value map. */
export interface AttributeDef {
  readonly name: AttributeName
  readonly code: number
  readonly type: string
  readonly vendor?: number
  readonly encrypt?: number
  readonly hasTag?: boolean
  readonly values?: Readonly<Record<string, number>>
  /** Number → value name; when a number has several names, the last one defined wins, as in FreeRADIUS. */
  readonly valueNames?: ReadonlyMap<number, string>
}

const byName = new Map<string, AttributeDef>()
const standardByCode = new Map<number, AttributeDef>()
const vendorByCode = new Map<number, Map<number, AttributeDef>>()

for (const [name, raw] of Object.entries(ATTRIBUTES) as [AttributeName, Record<string, unknown>][]) {
  const values = raw.values as Record<string, number> | undefined
  const def: AttributeDef = Object.freeze({
    name,
    code: raw.code as number,
    type: raw.type as string,
    ...(raw.vendor !== undefined ? { vendor: raw.vendor as number } : {}),
    ...(raw.encrypt !== undefined ? { encrypt: raw.encrypt as number } : {}),
    ...(raw.hasTag ? { hasTag: true } : {}),
    ...(values ? { values, valueNames: new Map(Object.entries(values).map(([k, v]) => [v, k] as const)) } : {}),
  })
  byName.set(name, def)
  // The first name defined for a code is the canonical one on decode (later ones are aliases).
  if (def.vendor === undefined) {
    if (!standardByCode.has(def.code)) standardByCode.set(def.code, def)
  } else {
    let m = vendorByCode.get(def.vendor)
    if (!m) vendorByCode.set(def.vendor, (m = new Map()))
    if (!m.has(def.code)) m.set(def.code, def)
  }
}

/** The definition of a named attribute, or undefined for names the dictionary does not know. */
export function findAttribute(name: string): AttributeDef | undefined {
  return byName.get(name)
}

/** The standard attribute with this type code (1–255). */
export function findStandardAttribute(code: number): AttributeDef | undefined {
  return standardByCode.get(code)
}

/** The vendor-specific attribute with this vendor id and vendor type. */
export function findVendorAttribute(vendor: number, code: number): AttributeDef | undefined {
  return vendorByCode.get(vendor)?.get(code)
}

/** Whether `name` is an attribute name of the dictionary (type guard). */
export function isAttributeName(name: string): name is AttributeName {
  return byName.has(name)
}
