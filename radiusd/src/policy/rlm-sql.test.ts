/**
 * rlm_sql authorize semantics over operator rows, table-driven (FreeRADIUS 3.2 `rlm_sql.c mod_authorize`,
 * `pair.c paircompare`, `evaluate.c radius_pairmove`; protocol digest §2.1–2.3).
 */
import { describe, expect, it } from 'vitest'
import type { AttributeMap, AttributeValue } from '../protocol/codec.js'
import { checkItemsMatch, evaluateRlmSql, moveBatch, parseFreeradiusDate, type RadRow, type RadRows, type TextPair } from './rlm-sql.js'

const NOW = new Date('2026-11-26T12:00:00Z')
const request = (attrs: Record<string, AttributeValue | AttributeValue[]>): AttributeMap =>
  new Map(Object.entries(attrs).map(([k, v]) => [k, Array.isArray(v) ? v : [v]])) as unknown as AttributeMap
const REQ = request({ 'User-Name': 'alice', 'NAS-Port': 7, 'NAS-Port-Type': 'Wireless-802.11', 'Called-Station-Id': ['hotspot1', 'ssid-b'],
  'NAS-IP-Address': '10.0.0.1', 'User-Password': 'pw' })

describe('checkItemsMatch: comparison operators against the request', () => {
  const cases: [string, RadRow[], boolean][] = [
    ['== equal', [['User-Name', '==', 'alice']], true],
    ['== different', [['User-Name', '==', 'bob']], false],
    ['= on a protocol attribute compares like ==', [['NAS-IP-Address', '=', '10.0.0.1']], true],
    ['= on a protocol attribute, different', [['NAS-IP-Address', '=', '10.0.0.2']], false],
    ['empty op is ==', [['User-Name', '', 'alice']], true],
    ['!= different', [['User-Name', '!=', 'bob']], true],
    ['!= equal', [['User-Name', '!=', 'alice']], false],
    ['> numeric', [['NAS-Port', '>', '6']], true],
    ['> numeric, equal', [['NAS-Port', '>', '7']], false],
    ['>= numeric, equal', [['NAS-Port', '>=', '7']], true],
    ['< numeric', [['NAS-Port', '<', '10']], true],
    ['<= numeric, smaller', [['NAS-Port', '<=', '6']], false],
    ['enum == by name', [['NAS-Port-Type', '==', 'Wireless-802.11']], true],
    ['enum > by value (Wireless-802.11 = 19 > Ethernet = 15)', [['NAS-Port-Type', '>', 'Ethernet']], true],
    ['=~ regex', [['User-Name', '=~', '^al']], true],
    ['=~ regex, no match', [['User-Name', '=~', '^bo']], false],
    ['!~ regex', [['User-Name', '!~', '^bo']], true],
    ['=~ invalid regex never matches', [['User-Name', '=~', '(']], false],
    ['=* present', [['User-Name', '=*', '']], true],
    ['=* absent', [['Framed-IP-Address', '=*', '']], false],
    ['!* absent', [['Framed-IP-Address', '!*', '']], true],
    ['!* present', [['User-Name', '!*', '']], false],
    ['any instance of a repeated attribute matches', [['Called-Station-Id', '==', 'ssid-b']], true],
    ['comparison on an attribute the request lacks fails', [['Framed-IP-Address', '==', '10.1.1.1']], false],
    ['quoted value is unquoted', [['User-Name', '==', "'alice'"]], true],
    [':= items never compare (control assignments)', [['Cleartext-Password', ':=', 'x'], ['User-Name', ':=', 'bob']], true],
    ['+= items never compare', [['Reply-Message', '+=', 'x']], true],
    ['server-side attribute with = is an assignment', [['Auth-Type', '=', 'Reject']], true],
    ['all items must match (AND)', [['User-Name', '==', 'alice'], ['NAS-Port', '>', '100']], false],
    // Expiration := goes to control (rlm_expiration rejects there, see operator-rows); == compares against now.
    ['Expiration := is an assignment, whatever the date', [['Expiration', ':=', 'Jan 01 2026 00:00:00']], true],
    ['Expiration == in the future matches', [['Expiration', '==', 'Dec 31 2026']], true],
    ['Expiration == in the past does not', [['Expiration', '==', 'Jan 01 2026 00:00:00']], false],
    ['Expiration == unparseable does not', [['Expiration', '==', 'someday']], false],
  ]
  it.each(cases)('%s', (_label, rows, expected) => {
    expect(checkItemsMatch(rows, REQ, NOW)).toBe(expected)
  })
})

describe('checkItemsMatch: Login-Time and Current-Time (rlm_logintime; each checked with FreeRADIUS 3.2.1\'s files module)', () => {
  // NOW is Thursday 12:00 UTC: "Th" includes it, "Fr" does not.
  const cases: [string, RadRow[], boolean][] = [
    ['Login-Time == is looked for in the request and never found', [['Login-Time', '==', 'Any']], false],
    ['Login-Time = compares like ==', [['Login-Time', '=', 'Any']], false],
    ['Login-Time := is a control assignment, whatever the hours', [['Login-Time', ':=', 'Fr0000-0001']], true],
    ['Login-Time += too', [['Login-Time', '+=', 'Fr0000-0001']], true],
    ['Login-Time !* holds (the request has none)', [['Login-Time', '!*', '']], true],
    ['Current-Time == inside', [['Current-Time', '==', 'Th1100-1300']], true],
    ['Current-Time == outside', [['Current-Time', '==', 'Fr']], false],
    ['Current-Time = compares like ==', [['Current-Time', '=', 'Th']], true],
    ['Current-Time != outside', [['Current-Time', '!=', 'Fr']], true],
    ['Current-Time != inside', [['Current-Time', '!=', 'Th']], false],
    ['Current-Time < means outside', [['Current-Time', '<', 'Fr']], true],
    ['Current-Time < inside fails', [['Current-Time', '<', 'Th']], false],
    ['Current-Time > never matches', [['Current-Time', '>', 'Fr']], false],
    ['Current-Time <= always matches', [['Current-Time', '<=', 'Fr']], true],
    ['Current-Time >= means inside', [['Current-Time', '>=', 'Th']], true],
    ['Current-Time >= outside fails', [['Current-Time', '>=', 'Fr']], false],
    ['Current-Time =~ acts as ==', [['Current-Time', '=~', 'Th']], true],
    ['Current-Time !~ acts as == too (inside matches)', [['Current-Time', '!~', 'Th']], true],
    ['Current-Time !~ outside fails', [['Current-Time', '!~', 'Fr']], false],
    ['Current-Time =* matches', [['Current-Time', '=*', '']], true],
    ['Current-Time !* never matches', [['Current-Time', '!*', '']], false],
    ['Current-Time with a string FreeRADIUS never returns on does not match', [['Current-Time', '==', 'Mo-Wk']], false],
    ['Current-Time := is an assignment', [['Current-Time', ':=', 'Fr']], true],
  ]
  it.each(cases)('%s', (_label, rows, expected) => {
    expect(checkItemsMatch(rows, REQ, NOW, 'UTC')).toBe(expected)
  })

  it('reads Current-Time in the given zone (Thursday 15:00 in Nairobi)', () => {
    expect(checkItemsMatch([['Current-Time', '==', 'Th1400-1600']], REQ, NOW, 'Africa/Nairobi')).toBe(true)
    expect(checkItemsMatch([['Current-Time', '==', 'Th1400-1600']], REQ, NOW, 'UTC')).toBe(false)
  })

  it('a group whose Current-Time check fails is skipped (evaluateRlmSql passes the zone down)', () => {
    const rows: RadRows = { check: [['Cleartext-Password', ':=', 'pw']], reply: [], groups: [
      { name: 'nights', check: [['Current-Time', '==', 'Al2200-0600']], reply: [['Mikrotik-Rate-Limit', ':=', '10M/10M']] },
      { name: 'days', check: [], reply: [['Mikrotik-Rate-Limit', ':=', '2M/2M']] }] }
    expect(evaluateRlmSql(rows, REQ, NOW, 'UTC').reply).toEqual([{ name: 'Mikrotik-Rate-Limit', value: '2M/2M' }])
    expect(evaluateRlmSql(rows, REQ, new Date('2026-11-26T23:00:00Z'), 'UTC').reply).toEqual([{ name: 'Mikrotik-Rate-Limit', value: '10M/10M' }])
  })
})

describe('moveBatch (radius_pairmove): assignment operators into a list', () => {
  const start = (): TextPair[] => [{ name: 'Session-Timeout', value: '3600' }, { name: 'Reply-Message', value: 'hi' }]
  const cases: [string, RadRow[], TextPair[]][] = [
    ['= adds an absent attribute', [['Idle-Timeout', '=', '600']], [...start(), { name: 'Idle-Timeout', value: '600' }]],
    ['= keeps a present attribute', [['Session-Timeout', '=', '60']], start()],
    ['= twice in one batch adds both (operators see the list as before the batch)', [['Idle-Timeout', '=', '1'], ['Idle-Timeout', '=', '2']],
      [...start(), { name: 'Idle-Timeout', value: '1' }, { name: 'Idle-Timeout', value: '2' }]],
    [':= replaces', [['Session-Timeout', ':=', '60']], [{ name: 'Session-Timeout', value: '60' }, { name: 'Reply-Message', value: 'hi' }]],
    [':= adds when absent', [['Idle-Timeout', ':=', '5']], [...start(), { name: 'Idle-Timeout', value: '5' }]],
    ['+= appends even when present', [['Reply-Message', '+=', 'again']], [...start(), { name: 'Reply-Message', value: 'again' }]],
    ['!* removes every instance', [['Reply-Message', '!*', 'ANY']], [{ name: 'Session-Timeout', value: '3600' }]],
    ['<= lowers a larger value', [['Session-Timeout', '<=', '60']], [{ name: 'Session-Timeout', value: '60' }, { name: 'Reply-Message', value: 'hi' }]],
    ['<= keeps a smaller value', [['Session-Timeout', '<=', '7200']], start()],
    ['>= raises a smaller value', [['Session-Timeout', '>=', '7200']], [{ name: 'Session-Timeout', value: '7200' }, { name: 'Reply-Message', value: 'hi' }]],
    ['comparison operators are ignored in reply lists', [['Idle-Timeout', '==', '5']], start()],
    ['quoted values are unquoted', [['Idle-Timeout', ':=', '"600"']], [...start(), { name: 'Idle-Timeout', value: '600' }]],
  ]
  it.each(cases)('%s', (_label, rows, expected) => {
    const list = start()
    moveBatch(list, rows, false)
    expect(list).toEqual(expected)
  })

  it('moves only assignment check items into control (= only for server-side attributes)', () => {
    const control: TextPair[] = []
    moveBatch(control, [['Cleartext-Password', ':=', 'pw'], ['NAS-Port', '==', '7'], ['Auth-Type', '=', 'Reject'], ['User-Name', '=', 'alice']], true)
    expect(control).toEqual([{ name: 'Cleartext-Password', value: 'pw' }, { name: 'Auth-Type', value: 'Reject' }])
  })
})

describe('evaluateRlmSql: user rows, groups by priority, Fall-Through', () => {
  const group = (name: string, check: RadRow[], reply: RadRow[]) => ({ name, check, reply })
  const user = (check: RadRow[], reply: RadRow[], groups: RadRows['groups'] = []): RadRows => ({ check, reply, groups })
  const PW: RadRow = ['Cleartext-Password', ':=', 'pw']
  const cases: [string, RadRows, { found: boolean; reply: Record<string, string[]>; control?: Record<string, string[]> }][] = [
    ['unknown user: notfound', user([], []), { found: false, reply: {} }],
    ['user check + reply, no groups', user([PW], [['Session-Timeout', ':=', '3600']]),
      { found: true, reply: { 'Session-Timeout': ['3600'] }, control: { 'Cleartext-Password': ['pw'] } }],
    ['radreply is ignored when radcheck does not match', user([PW, ['NAS-Port', '==', '99']], [['Session-Timeout', ':=', '3600']]),
      { found: true, reply: {}, control: {} }],
    ['groups are found even without radcheck rows', user([], [], [group('g', [], [['Idle-Timeout', ':=', '60']])]),
      { found: true, reply: { 'Idle-Timeout': ['60'] } }],
    ['group reply follows the user reply; = does not override the user value',
      user([PW], [['Session-Timeout', ':=', '100']], [group('g', [], [['Session-Timeout', '=', '999'], ['Idle-Timeout', '=', '60']])]),
      { found: true, reply: { 'Session-Timeout': ['100'], 'Idle-Timeout': ['60'] } }],
    ['without Fall-Through only the first matching group applies',
      user([PW], [], [group('first', [], [['Idle-Timeout', ':=', '1']]), group('second', [], [['Acct-Interim-Interval', ':=', '300']])]),
      { found: true, reply: { 'Idle-Timeout': ['1'] } }],
    ['Fall-Through = Yes in a group reply continues to the next group (and is not sent)',
      user([PW], [], [group('first', [], [['Idle-Timeout', ':=', '1'], ['Fall-Through', '=', 'Yes']]), group('second', [], [['Idle-Timeout', ':=', '2'], ['Acct-Interim-Interval', ':=', '300']])]),
      { found: true, reply: { 'Idle-Timeout': ['2'], 'Acct-Interim-Interval': ['300'] } }],
    ['a group whose check fails is skipped and the next one is tried',
      user([PW], [], [group('wired', [['NAS-Port-Type', '==', 'Ethernet']], [['Idle-Timeout', ':=', '1']]), group('wifi', [['NAS-Port-Type', '==', 'Wireless-802.11']], [['Idle-Timeout', ':=', '2']])]),
      { found: true, reply: { 'Idle-Timeout': ['2'] } }],
    ['Fall-Through = No in the user reply stops before the groups',
      user([PW], [['Session-Timeout', ':=', '100'], ['Fall-Through', '=', 'No']], [group('g', [], [['Idle-Timeout', ':=', '60']])]),
      { found: true, reply: { 'Session-Timeout': ['100'] } }],
    ['Fall-Through = Yes in the user reply reads the groups (like the default)',
      user([PW], [['Fall-Through', '=', 'Yes']], [group('g', [], [['Idle-Timeout', ':=', '60']])]),
      { found: true, reply: { 'Idle-Timeout': ['60'] } }],
    ['group check assignments reach control (Simultaneous-Use, Auth-Type := Reject)',
      user([PW], [], [group('g', [['Simultaneous-Use', ':=', '1'], ['Auth-Type', ':=', 'Reject']], [])]),
      { found: true, reply: {}, control: { 'Cleartext-Password': ['pw'], 'Simultaneous-Use': ['1'], 'Auth-Type': ['Reject'] } }],
    ['a later group := overrides an earlier group value under Fall-Through',
      user([PW], [], [group('a', [], [['Mikrotik-Rate-Limit', ':=', '1M/1M'], ['Fall-Through', '=', 'Yes']]), group('b', [], [['Mikrotik-Rate-Limit', ':=', '2M/2M']])]),
      { found: true, reply: { 'Mikrotik-Rate-Limit': ['2M/2M'] } }],
    // User-Profile (read_profiles): the profile's radusergroup groups, after the user's own groups.
    ['User-Profile from radcheck: the profile\'s groups apply after the user\'s; = does not override, := does',
      { ...user([PW, ['User-Profile', ':=', 'gold']], [['Idle-Timeout', ':=', '10']], [group('g', [], [['Acct-Interim-Interval', ':=', '60']])]),
        profiles: { gold: [group('gold-speed', [], [['Mikrotik-Rate-Limit', ':=', '5M/5M'], ['Idle-Timeout', '=', '99'], ['Acct-Interim-Interval', ':=', '600']])] } },
      { found: true, reply: { 'Idle-Timeout': ['10'], 'Acct-Interim-Interval': ['600'], 'Mikrotik-Rate-Limit': ['5M/5M'] },
        control: { 'Cleartext-Password': ['pw'], 'User-Profile': ['gold'] } }],
    ['User-Profile from a group check row, quoted value',
      { ...user([PW], [], [group('g', [['User-Profile', ':=', '"gold"']], [])]), profiles: { gold: [group('gold-speed', [], [['Mikrotik-Rate-Limit', ':=', '5M/5M']])] } },
      { found: true, reply: { 'Mikrotik-Rate-Limit': ['5M/5M'] } }],
    ['profile groups: a failed check skips one, Fall-Through goes on, profile check items reach control',
      { ...user([PW, ['User-Profile', ':=', 'p']], []), profiles: { p: [
        group('wired', [['NAS-Port-Type', '==', 'Ethernet']], [['Idle-Timeout', ':=', '1']]),
        group('a', [['Simultaneous-Use', ':=', '2']], [['Idle-Timeout', ':=', '2'], ['Fall-Through', '=', 'Yes']]),
        group('b', [], [['Session-Timeout', ':=', '300']]), group('c', [], [['Acct-Interim-Interval', ':=', '1']])] } },
      { found: true, reply: { 'Idle-Timeout': ['2'], 'Session-Timeout': ['300'] },
        control: { 'Cleartext-Password': ['pw'], 'User-Profile': ['p'], 'Simultaneous-Use': ['2'] } }],
    ['Fall-Through = No in the last group reply: no profile',
      { ...user([PW, ['User-Profile', ':=', 'gold']], [], [group('g', [], [['Idle-Timeout', ':=', '1'], ['Fall-Through', '=', 'No']])]),
        profiles: { gold: [group('gold-speed', [], [['Mikrotik-Rate-Limit', ':=', '5M/5M']])] } },
      { found: true, reply: { 'Idle-Timeout': ['1'] } }],
    ['Fall-Through = No in the user reply: neither groups nor profile',
      { ...user([PW, ['User-Profile', ':=', 'gold']], [['Fall-Through', '=', 'No']]), profiles: { gold: [group('gold-speed', [], [['Mikrotik-Rate-Limit', ':=', '5M/5M']])] } },
      { found: true, reply: {} }],
    ['a profile is found even when the user has only the profile (no radcheck match needed for found)',
      { ...user([], [], [group('g', [['User-Profile', ':=', 'p']], [])]), profiles: { p: [group('pg', [], [['Idle-Timeout', ':=', '5']])] } },
      { found: true, reply: { 'Idle-Timeout': ['5'] } }],
    ['the first User-Profile in control wins; a profile with no groups adds nothing',
      { ...user([PW, ['User-Profile', ':=', 'empty'], ['User-Profile', '+=', 'gold']], []), profiles: { empty: [], gold: [group('gold-speed', [], [['Mikrotik-Rate-Limit', ':=', '5M/5M']])] } },
      { found: true, reply: {} }],
  ]
  const collect = (pairs: readonly TextPair[]): Record<string, string[]> => {
    const out: Record<string, string[]> = {}
    for (const p of pairs) (out[p.name] ??= []).push(p.value)
    return out
  }
  it.each(cases)('%s', (_label, rows, expected) => {
    const result = evaluateRlmSql(rows, REQ, NOW)
    expect(result.found).toBe(expected.found)
    expect(collect(result.reply)).toEqual(expected.reply)
    if (expected.control) expect(collect(result.control)).toEqual(expected.control)
  })

  it('skips backtick xlat values and reports them', () => {
    const result = evaluateRlmSql(user([PW], [['Reply-Message', ':=', '`/bin/date`'], ['Idle-Timeout', ':=', '60']]), REQ, NOW)
    expect(collect(result.reply)).toEqual({ 'Idle-Timeout': ['60'] })
    expect(result.skipped).toEqual([['Reply-Message', ':=', '`/bin/date`']])
  })
})

describe('parseFreeradiusDate', () => {
  const cases: [string, number | undefined][] = [
    ['1798761600', 1798761600],
    ['Jan 01 2027', Date.UTC(2027, 0, 1) / 1000],
    ['01 Jan 2027 10:30', Date.UTC(2027, 0, 1, 10, 30) / 1000],
    ['January 1, 2027 10:30:15', Date.UTC(2027, 0, 1, 10, 30, 15) / 1000],
    ['Jan 01 2027 03:00 +0300', Date.UTC(2027, 0, 1, 0, 0) / 1000],
    ['Jan 01 2027 UTC', Date.UTC(2027, 0, 1) / 1000],
    ['2027', 2027], // a bare number is an epoch
    ['Jan 2027', undefined],
    ['tomorrow', undefined],
  ]
  it.each(cases)('%s', (text, expected) => {
    expect(parseFreeradiusDate(text)).toBe(expected)
  })
})
