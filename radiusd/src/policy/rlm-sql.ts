/**
 * FreeRADIUS rlm_sql authorize semantics for operator rows in radcheck/radreply/radgroupcheck/radgroupreply/
 * radusergroup (protocol digest §2.1–2.3; FreeRADIUS 3.2 `rlm_sql.c mod_authorize`, `pair.c paircompare`,
 * `evaluate.c radius_pairmove`). Pure: the rows come from `radiusd_authorize()`.
 */
import { findAttribute } from '../dictionary/index.js'
import type { AttributeMap, AttributeValue } from '../protocol/codec.js'
import { matchTimeString, wallClockAt } from './login-time.js'
import type { CounterSums } from './sqlcounter.js'

/** One row as `[attribute, op, value]`, in id order. */
export type RadRow = readonly [attribute: string, op: string, value: string]

export interface RadGroup {
  readonly name: string
  readonly check: readonly RadRow[]
  readonly reply: readonly RadRow[]
}

export interface RadRows {
  readonly check: readonly RadRow[]
  readonly reply: readonly RadRow[]
  readonly groups: readonly RadGroup[]
  /**
   * For each profile name a `User-Profile` row mentions: the groups radusergroup gives that name (rlm_sql runs its
   * group processing with SQL-User-Name = the profile). Present only when some row names User-Profile.
   */
  readonly profiles?: Readonly<Record<string, readonly RadGroup[]>>
  /** radacct sums for rlm_sqlcounter, present only when some row names a counter check item. */
  readonly counters?: CounterSums
}

/** An attribute/value pair with the value still as the database text. */
export interface TextPair {
  readonly name: string
  readonly value: string
}

export interface RlmSqlResult {
  /** False = rlm_sql `notfound`: the user is in none of radcheck, radreply, radusergroup. */
  readonly found: boolean
  readonly control: readonly TextPair[]
  readonly reply: readonly TextPair[]
  /** Rows skipped because they cannot be evaluated (backtick xlat values), for a warning log. */
  readonly skipped: readonly RadRow[]
}

/** Server-side check attributes that paircompare skips (`=` means "set if absent" for them). */
const SERVER_SIDE = new Set(['Crypt-Password', 'Auth-Type', 'Autz-Type', 'Acct-Type', 'Session-Type', 'Strip-User-Name'])
const ASSIGNMENT_OPS = new Set([':=', '+=', '='])

/** Strips one level of '…' or "…" quoting, like sql_fr_pair_list_afrom_str. */
function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === "'" || value[0] === '"') && value.at(-1) === value[0]) return value.slice(1, -1)
  return value
}

function isXlat(value: string): boolean {
  return value.length >= 2 && value.startsWith('`') && value.endsWith('`')
}

/** Request value as text, and as a number where the dictionary makes it one (enum names → numbers). */
function asNumber(name: string, value: AttributeValue | string): number {
  if (typeof value === 'number') return value
  const n = findAttribute(name)?.values?.[String(value)]
  return n ?? Number(String(value))
}

function compareOne(name: string, op: string, expected: string, actual: AttributeValue): boolean {
  const text = Buffer.isBuffer(actual) ? actual.toString('utf8') : String(actual)
  switch (op) {
    case '==': return text === expected
    case '!=': return text !== expected
    case '>': return asNumber(name, actual) > asNumber(name, expected)
    case '>=': return asNumber(name, actual) >= asNumber(name, expected)
    case '<': return asNumber(name, actual) < asNumber(name, expected)
    case '<=': return asNumber(name, actual) <= asNumber(name, expected)
    case '=~': return safeRegex(expected)?.test(text) ?? false
    case '!~': return !(safeRegex(expected)?.test(text) ?? true)
    case '=*': return true
    default: return false
  }
}

function safeRegex(pattern: string): RegExp | undefined {
  try { return new RegExp(pattern) } catch { return undefined }
}

/**
 * `Current-Time <op> "<time string>"` (rlm_logintime's `timecmp`, registered for Current-Time): the comparison
 * result is 0 when now is in the time string and -1 when not, and paircompare applies the operator to that
 * result without looking at the request — so `<` means "outside", `>` never matches, `<=` always does, and
 * `=~`/`!~` (like any operator it does not know) act as `==`. Checked against FreeRADIUS 3.2.1.
 */
function currentTimeMatches(op: string, timeString: string, now: Date, timeZone: string | null | undefined): boolean {
  const match = matchTimeString(timeString, wallClockAt(now.getTime() / 1000, timeZone))
  if (match.kind === 'never') return false // FreeRADIUS never answers such a request
  const compare = match.kind === 'outside' ? -1 : 0
  switch (op) {
    case '!=': return compare !== 0
    case '<': return compare < 0
    case '>': return false
    case '<=': return true
    case '>=': return compare >= 0
    case '=*': return true
    case '!*': return false
    default: return compare === 0
  }
}

/**
 * paircompare: every comparison check item must be satisfied by the request (any instance). `:=`/`+=` items
 * and server-side attributes always match; `=` on a protocol attribute is compared like `==`. `Login-Time` has
 * no comparison of its own: as a comparison it is looked for in the request, never found, and fails (it works
 * only as `:=`/`+=`, which put it in control for the operator-rows stage). `Current-Time` compares against now
 * in `timeZone` (an IANA name; the process's local zone when absent).
 */
export function checkItemsMatch(rows: readonly RadRow[], request: AttributeMap, now: Date, timeZone?: string | null): boolean {
  for (const [name, rawOp, rawValue] of rows) {
    const op = rawOp === '' || rawOp === '=' ? '==' : rawOp
    if (rawOp === ':=' || rawOp === '+=' || SERVER_SIDE.has(name)) continue
    if (name === 'User-Password' && !request.has('User-Password')) continue
    const expected = unquote(rawValue)
    if (name === 'Expiration') {
      // rlm_expiration's comparison callback: matches while now ≤ the date.
      const until = parseFreeradiusDate(expected)
      if (until === undefined || now.getTime() > until * 1000) return false
      continue
    }
    if (name === 'Current-Time') {
      if (!currentTimeMatches(op, expected, now, timeZone)) return false
      continue
    }
    const values = request.get(name as never) ?? []
    if (op === '!*') {
      if (values.length > 0) return false
      continue
    }
    if (values.length === 0) return false
    if (!values.some((v) => compareOne(name, op, expected, v))) return false
  }
  return true
}

/**
 * radius_pairmove for one batch (one query's rows) into `list`: operators apply against the list as it was
 * before the batch, so two `=` rows of one attribute in one batch are both added.
 */
export function moveBatch(list: TextPair[], rows: readonly RadRow[], isCheck: boolean): void {
  // Names the list held before the batch (all `=` asks about): an array, not a Set, and none for an empty list.
  const beforeNames = list.length === 0 ? undefined : list.map((p) => p.name)
  for (const [name, op, raw] of rows) {
    if (isCheck && !(ASSIGNMENT_OPS.has(op) && (op !== '=' || SERVER_SIDE.has(name)))) continue
    const value = unquote(raw)
    const index = indexOfName(list, name)
    switch (op) {
      case '=':
        if (beforeNames === undefined || !beforeNames.includes(name)) list.push({ name, value })
        break
      case ':=':
        if (index >= 0) list[index] = { name, value }
        else list.push({ name, value })
        break
      case '+=':
        list.push({ name, value })
        break
      case '!*':
        for (let i = list.length - 1; i >= 0; i--) if (list[i]!.name === name) list.splice(i, 1)
        break
      case '<=':
        if (index >= 0 && asNumber(name, list[index]!.value) > asNumber(name, value)) list[index] = { name, value }
        break
      case '>=':
        if (index >= 0 && asNumber(name, list[index]!.value) < asNumber(name, value)) list[index] = { name, value }
        break
      default:
        // Comparison operators are not allowed in reply lists; FreeRADIUS ignores them with a warning.
        break
    }
  }
}

function indexOfName(list: readonly TextPair[], name: string): number {
  for (let k = 0; k < list.length; k++) if (list[k]!.name === name) return k
  return -1
}

function fallThrough(rows: readonly RadRow[]): 'yes' | 'no' | 'default' {
  const row = rows.find((r) => r[0] === 'Fall-Through')
  if (!row) return 'default'
  return /^(yes|1)$/i.test(unquote(row[2])) ? 'yes' : 'no'
}

/**
 * Runs rlm_sql's authorize over the rows (read_groups = yes, read_profiles = yes, no default_profile): the user's
 * rows, then its groups by priority while Fall-Through allows, then — unless the last Fall-Through said no — the
 * groups of the profile named by the first `User-Profile` in control, the same way. `timeZone` (IANA) is the zone
 * `Current-Time` check items are read in; the process's local zone when absent.
 */
export function evaluateRlmSql(rows: RadRows, request: AttributeMap, now: Date, timeZone?: string | null): RlmSqlResult {
  const control: TextPair[] = []
  const reply: TextPair[] = []
  const skipped: RadRow[] = []
  // The rows themselves when none is an xlat (the usual case): no copy per list.
  const usable = (list: readonly RadRow[]): readonly RadRow[] => {
    if (!list.some((r) => isXlat(r[2]))) return list
    return list.filter((r) => (isXlat(r[2]) ? (skipped.push(r), false) : true))
  }
  let found = false
  // rlm_sql's do_fall_through: FALL_THROUGH_DEFAULT until a reply list that was merged says otherwise.
  let fall: 'yes' | 'no' | 'default' = 'default'

  const check = usable(rows.check)
  if (check.length > 0) {
    found = true
    if (checkItemsMatch(check, request, now, timeZone)) {
      moveBatch(control, check, true)
      const userReply = usable(rows.reply)
      moveBatch(reply, userReply, false)
      fall = fallThrough(userReply)
    }
  }
  // rlm_sql_process_groups: a group whose check items fail is skipped; a merged group decides whether to go on.
  const processGroups = (groups: readonly RadGroup[]): void => {
    for (const group of groups) {
      const groupCheck = usable(group.check)
      if (groupCheck.length > 0 && !checkItemsMatch(groupCheck, request, now, timeZone)) continue
      moveBatch(control, groupCheck, true)
      const groupReply = usable(group.reply)
      moveBatch(reply, groupReply, false)
      fall = fallThrough(groupReply)
      if (fall !== 'yes') break
    }
  }
  if (rows.groups.length > 0) found = true
  if (fall !== 'no') processGroups(rows.groups)
  if (fall !== 'no') {
    const profile = control.find((p) => p.name === 'User-Profile')?.value
    const groups = profile ? rows.profiles?.[profile] : undefined
    if (groups && groups.length > 0) {
      found = true
      processGroups(groups)
    }
  }
  return { found, control, reply: reply.filter((p) => p.name !== 'Fall-Through'), skipped }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/**
 * FreeRADIUS `date` text (`fr_get_time`): an epoch integer, or month name, day, 4-digit year and optional
 * `HH:MM[:SS]` in any order, optional trailing zone. Without a zone, UTC (radiusd runs in UTC; FreeRADIUS
 * would use its local zone — gotcha 8). Returns seconds since the epoch, or undefined.
 */
export function parseFreeradiusDate(text: string): number | undefined {
  const t = text.trim()
  if (/^\d+$/.test(t)) return Number(t)
  let month: number | undefined
  let day: number | undefined
  let year: number | undefined
  let hms = [0, 0, 0]
  let offsetMinutes = 0
  for (const part of t.replace(/,/g, ' ').split(/\s+/)) {
    const m = MONTHS.indexOf(part.slice(0, 3).toLowerCase())
    if (m >= 0 && /^[a-z]/i.test(part) && month === undefined) month = m
    else if (/^\d{1,2}:\d{2}(:\d{2})?$/.test(part)) hms = part.split(':').map(Number).concat(0).slice(0, 3)
    else if (/^\d{4}$/.test(part)) year = Number(part)
    else if (/^\d{1,2}$/.test(part)) day = Number(part)
    else if (/^(UTC|GMT|Z)$/i.test(part)) offsetMinutes = 0
    else if (/^[+-]\d{4}$/.test(part)) offsetMinutes = (part[0] === '-' ? -1 : 1) * (Number(part.slice(1, 3)) * 60 + Number(part.slice(3)))
    else return undefined
  }
  if (month === undefined || day === undefined || year === undefined) return undefined
  return Date.UTC(year, month, day, hms[0], hms[1], hms[2]) / 1000 - offsetMinutes * 60
}
