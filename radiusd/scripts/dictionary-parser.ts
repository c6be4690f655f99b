/**
 * Parser for FreeRADIUS dictionary files (the subset our vendored files use: VENDOR, BEGIN-VENDOR, END-VENDOR,
 * ATTRIBUTE, VALUE) and the code generator that turns them into `src/dictionary/generated.ts`.
 *
 * Pure: no file system access, so the golden-file test can feed it fixtures.
 * Format reference: FreeRADIUS `man 5 dictionary` (3.2), and layeh/radius `dictionary/parser.go`.
 */

/** One input file: its base name (for error messages and the header) and its text. */
export interface DictionaryFile {
  readonly name: string
  readonly text: string
}

/** A dictionary line that cannot be understood; names the file and line like layeh's `ParseError`. */
export class DictionaryParseError extends Error {
  constructor(readonly file: string, readonly line: number, readonly reason: string) {
    super(`${file}:${line}: ${reason}`)
    this.name = 'DictionaryParseError'
  }
}

export interface ParsedAttribute {
  name: string
  code: number
  type: string
  vendor?: number
  /** RFC 2865 §5.2 (1), RFC 2868 §3.5 (2), Ascend (3). */
  encrypt?: number
  hasTag?: boolean
  concat?: boolean
  values: Map<string, number>
}

export interface ParsedDictionary {
  attributes: Map<string, ParsedAttribute>
  vendors: Map<string, { id: number; attributes: string[] }>
}

const TYPES = new Set(['string', 'octets', 'ipaddr', 'integer', 'date', 'ipv6addr', 'ipv6prefix', 'ifid', 'byte',
  'short', 'integer64', 'signed', 'ether', 'abinary', 'ipv4prefix', 'combo-ip', 'vsa', 'tlv', 'extended',
  'long-extended', 'evs'])

function parseNumber(text: string, file: string, line: number): number {
  const n = /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text, 16) : /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(n)) throw new DictionaryParseError(file, line, `not a number: ${text}`)
  return n
}

/** Parses the files in order into one dictionary; later files may add VALUEs to earlier attributes. */
export function parseDictionaries(files: readonly DictionaryFile[]): ParsedDictionary {
  const attributes = new Map<string, ParsedAttribute>()
  const vendors = new Map<string, { id: number; attributes: string[] }>()
  const pendingValues: { file: string; line: number; attr: string; name: string; value: number }[] = []
  for (const file of files) {
    let vendor: { name: string; id: number } | undefined
    file.text.split('\n').forEach((raw, index) => {
      const line = index + 1
      const text = raw.replace(/#.*$/, '').trim()
      if (text === '') return
      const f = text.split(/\s+/)
      switch (f[0]) {
        case 'VENDOR': {
          if (f.length < 3) throw new DictionaryParseError(file.name, line, 'VENDOR needs a name and an id')
          const format = f[3]
          if (format !== undefined && format !== 'format=1,1') {
            throw new DictionaryParseError(file.name, line, `unsupported vendor format ${format}`)
          }
          vendors.set(f[1]!, { id: parseNumber(f[2]!, file.name, line), attributes: [] })
          return
        }
        case 'BEGIN-VENDOR': {
          const v = vendors.get(f[1] ?? '')
          if (!v) throw new DictionaryParseError(file.name, line, `unknown vendor ${f[1]}`)
          vendor = { name: f[1]!, id: v.id }
          return
        }
        case 'END-VENDOR':
          if (vendor?.name !== f[1]) throw new DictionaryParseError(file.name, line, `END-VENDOR ${f[1]} without BEGIN`)
          vendor = undefined
          return
        case 'ATTRIBUTE': {
          if (f.length < 4) throw new DictionaryParseError(file.name, line, 'ATTRIBUTE needs a name, a code and a type')
          const [, name, codeText, typeText, flagText] = f as [string, string, string, string, string | undefined]
          const type = typeText.replace(/\[\d+\]$/, '')
          if (!TYPES.has(type)) throw new DictionaryParseError(file.name, line, `unknown type ${typeText}`)
          const attr: ParsedAttribute = { name, code: parseNumber(codeText, file.name, line), type, values: new Map() }
          if (vendor) attr.vendor = vendor.id
          for (const flag of flagText ? flagText.split(',') : []) {
            if (flag === 'has_tag') attr.hasTag = true
            else if (flag === 'concat') attr.concat = true
            else if (flag.startsWith('encrypt=')) attr.encrypt = parseNumber(flag.slice(8), file.name, line)
            else throw new DictionaryParseError(file.name, line, `unknown flag ${flag}`)
          }
          if (attributes.has(name)) throw new DictionaryParseError(file.name, line, `duplicate attribute ${name}`)
          attributes.set(name, attr)
          if (vendor) vendors.get(vendor.name)!.attributes.push(name)
          return
        }
        case 'VALUE':
          if (f.length < 4) throw new DictionaryParseError(file.name, line, 'VALUE needs an attribute, a name and a number')
          pendingValues.push({ file: file.name, line, attr: f[1]!, name: f[2]!, value: parseNumber(f[3]!, file.name, line) })
          return
        default:
          throw new DictionaryParseError(file.name, line, `unknown keyword ${f[0]}`)
      }
    })
    if (vendor) throw new DictionaryParseError(file.name, 0, `BEGIN-VENDOR ${vendor.name} is never ended`)
  }
  // VALUEs may precede their ATTRIBUTE in FreeRADIUS files, so they are attached once everything is read.
  for (const v of pendingValues) {
    const attr = attributes.get(v.attr)
    if (!attr) throw new DictionaryParseError(v.file, v.line, `VALUE for unknown attribute ${v.attr}`)
    attr.values.set(v.name, v.value)
  }
  return { attributes, vendors }
}

const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

/** Renders the dictionary as a TypeScript module with `as const` tables and derived types. Deterministic. */
export function generateDictionarySource(files: readonly DictionaryFile[]): string {
  const dict = parseDictionaries(files)
  const out: string[] = [
    '// Code generated by gen-dictionary.ts. DO NOT EDIT.',
    `// Sources: ${files.map((f) => f.name).join(', ')}`,
    '',
    '/** Every attribute by its dictionary name. `vendor` is set for Vendor-Specific (type 26) sub-attributes. */',
    'export const ATTRIBUTES = {',
  ]
  for (const a of dict.attributes.values()) {
    const parts = [`code: ${a.code}`, `type: ${q(a.type)}`]
    if (a.vendor !== undefined) parts.unshift(`vendor: ${a.vendor}`)
    if (a.encrypt !== undefined) parts.push(`encrypt: ${a.encrypt}`)
    if (a.hasTag) parts.push('hasTag: true')
    if (a.concat) parts.push('concat: true')
    if (a.values.size > 0) {
      parts.push(`values: { ${[...a.values].map(([k, v]) => `${q(k)}: ${v}`).join(', ')} }`)
    }
    out.push(`  ${q(a.name)}: { ${parts.join(', ')} },`)
  }
  out.push('} as const', '', '/** Vendors by name, with the names of their attributes. */', 'export const VENDORS = {')
  for (const [name, v] of dict.vendors) {
    out.push(`  ${q(name)}: { id: ${v.id}, attributes: [${v.attributes.map(q).join(', ')}] },`)
  }
  out.push('} as const', '')
  out.push('export type AttributeName = keyof typeof ATTRIBUTES')
  out.push('export type VendorName = keyof typeof VENDORS')
  out.push('/** Attribute names that have named values (enumerations). */')
  out.push("export type EnumAttributeName = { [K in AttributeName]: (typeof ATTRIBUTES)[K] extends { values: object } ? K : never }[AttributeName]")
  out.push('/** The value names of an enumerated attribute, e.g. `ValueName<\'Acct-Status-Type\'>`. */')
  out.push("export type ValueName<A extends EnumAttributeName> = keyof (typeof ATTRIBUTES)[A]['values'] & string")
  for (const [alias, attr] of [['AcctStatusType', 'Acct-Status-Type'], ['AcctTerminateCause', 'Acct-Terminate-Cause'],
    ['ServiceType', 'Service-Type'], ['ErrorCause', 'Error-Cause']] as const) {
    if (dict.attributes.get(attr)?.values.size) out.push(`export type ${alias} = ValueName<${q(attr)}>`)
  }
  out.push('')
  return out.join('\n')
}
