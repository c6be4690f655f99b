/**
 * Building API words: `=name=value` attributes and `?name=value` equality queries. Words are length-prefixed on the
 * wire, so any value (spaces, `=`, quotes) is carried verbatim — there is nothing to escape.
 */
import type { RouterRow } from './connection.js'

/** Properties to send; undefined ones are left out. */
export type Props = Readonly<Record<string, string | undefined>>

/** `{ a: '1', b: undefined }` → `['=a=1']`. */
export function commandWords(props: Props): string[] {
  return Object.entries(props).filter(([, v]) => v !== undefined).map(([k, v]) => `=${k}=${v}`)
}

/** The `.id`s of the items of `menu` whose properties equal `where` (every condition must hold). */
export async function findIds(
  run: (path: string, words?: readonly string[]) => Promise<RouterRow[]>, menu: string, where: Readonly<Record<string, string>>,
): Promise<string[]> {
  const rows = await run(`${menu}/print`, ['=.proplist=.id', ...Object.entries(where).map(([k, v]) => `?${k}=${v}`)])
  return rows.map((r) => r['.id']).filter((id): id is string => typeof id === 'string')
}
