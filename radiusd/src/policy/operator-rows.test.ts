/**
 * The operator-rows stage with authentication after it, over fixed instants (the authorize statement's clock,
 * `AuthorizeData.now`) and an explicit time zone: Login-Time (rlm_logintime) and its Session-Timeout.
 */
import { describe, expect, it } from 'vitest'
import type { NasClient } from '../clients.js'
import type { AttributeMap, RadiusPacket } from '../protocol/codec.js'
import type { HotPath } from '../store/hot-path.js'
import { authenticateStage } from './authenticate.js'
import { operatorRowsStage } from './operator-rows.js'
import { runAccessPolicy, type AccessDecision } from './pipeline.js'
import type { RadRow, RadRows } from './rlm-sql.js'
import { REPLY_MESSAGES, type AccessContext } from './types.js'

const at = (iso: string) => Date.parse(iso) / 1000

function contextFor(rad: RadRows, now: number, timeZone: string | undefined): AccessContext {
  const attributes = new Map([['User-Name', ['olduser']], ['User-Password', ['pw']]]) as unknown as AttributeMap
  return {
    packet: { attributes } as unknown as RadiusPacket, attributes, client: {} as NasClient, hotPath: {} as HotPath,
    defaultInterimS: 300, reply: [], rejectExtras: [], timeZone,
    data: { now, tenantStatus: 'ACTIVE', user: null, plan: null, rad, occupancy: 0, claimId: null },
  }
}

const decide = (rad: RadRows, iso: string, timeZone: string | undefined = 'UTC'): Promise<AccessDecision> =>
  runAccessPolicy(contextFor(rad, at(iso), timeZone), [operatorRowsStage, authenticateStage])

const PW: RadRow = ['Cleartext-Password', ':=', 'pw']
const user = (check: RadRow[], reply: RadRow[] = [], groups: RadRows['groups'] = []): RadRows => ({ check, reply, groups })
const accept = (...attributes: [string, string | number][]) => ({ kind: 'accept', attributes })
const reject = (message: string) => ({ kind: 'reject', attributes: [['Reply-Message', message]] })

describe('Login-Time on operator rows (rlm_logintime after rlm_sql)', () => {
  // 2026-11-25 is a Wednesday.
  const cases: [label: string, rows: RadRows, instant: string, zone: string | undefined, expected: object][] = [
    ['inside: Session-Timeout is the exact time until 17:01 (the end minute 17:00 is allowed)',
      user([PW, ['Login-Time', ':=', 'Wk0800-1700']]), '2026-11-25T12:00:20Z', 'UTC', accept(['Session-Timeout', 5 * 3600 + 60 - 20])],
    ['inside: a lower Session-Timeout from radreply is never raised',
      user([PW, ['Login-Time', ':=', 'Wk0800-1700']], [['Session-Timeout', ':=', '100']]), '2026-11-25T12:00:00Z', 'UTC', accept(['Session-Timeout', 100])],
    ['inside: a higher Session-Timeout from radreply is lowered',
      user([PW, ['Login-Time', ':=', 'Wk0800-1700']], [['Session-Timeout', ':=', '86400']]), '2026-11-25T12:00:00Z', 'UTC', accept(['Session-Timeout', 18060])],
    ['inside: Expiration sooner than the window end wins',
      user([PW, ['Login-Time', ':=', 'Wk0800-1700'], ['Expiration', ':=', String(at('2026-11-25T12:10:00Z'))]]), '2026-11-25T12:00:00Z', 'UTC', accept(['Session-Timeout', 600])],
    ['inside: the window end sooner than Expiration wins',
      user([PW, ['Login-Time', ':=', 'Wk0800-1700'], ['Expiration', ':=', 'Dec 31 2026']]), '2026-11-25T16:59:59Z', 'UTC', accept(['Session-Timeout', 61])],
    ['wrapping past midnight: Wednesday 23:30 runs through Thursday 06:00',
      user([PW, ['Login-Time', ':=', 'Wk2200-0600']]), '2026-11-25T23:30:00Z', 'UTC', accept(['Session-Timeout', 6.5 * 3600 + 60])],
    ['Any: no Session-Timeout', user([PW, ['Login-Time', ':=', 'Any']]), '2026-11-25T12:00:00Z', 'UTC', accept()],
    ['outside: rejected with a readable message', user([PW, ['Login-Time', ':=', 'Wk0800-1700']]), '2026-11-28T12:00:00Z', 'UTC',
      reject(REPLY_MESSAGES.outsideLoginTime)],
    ['outside: the operator\'s Reply-Message is kept instead', user([PW, ['Login-Time', ':=', 'Sa']], [['Reply-Message', ':=', 'Weekends only']]),
      '2026-11-25T12:00:00Z', 'UTC', reject('Weekends only')],
    ['a string FreeRADIUS never answers on (Mo-Wk) is rejected', user([PW, ['Login-Time', ':=', 'Mo-Wk']]), '2026-11-25T12:00:00Z', 'UTC',
      reject(REPLY_MESSAGES.outsideLoginTime)],
    ['malformed (no day code): rejected, as FreeRADIUS does', user([PW, ['Login-Time', ':=', '0800-1700']]), '2026-11-25T12:00:00Z', 'UTC',
      reject(REPLY_MESSAGES.outsideLoginTime)],
    ['a group\'s Login-Time applies', user([PW], [], [{ name: 'office', check: [['Login-Time', ':=', 'Wk0800-1700']], reply: [] }]),
      '2026-11-28T12:00:00Z', 'UTC', reject(REPLY_MESSAGES.outsideLoginTime)],
    ['a group\'s Login-Time := replaces the user\'s in control (radius_pairmove)',
      user([PW, ['Login-Time', ':=', 'Al']], [], [{ name: 'office', check: [['Login-Time', ':=', 'Wk0800-1700']], reply: [] }]),
      '2026-11-28T12:00:00Z', 'UTC', reject(REPLY_MESSAGES.outsideLoginTime)],
    ['a group\'s Login-Time += leaves the user\'s first, and the first one decides',
      user([PW, ['Login-Time', ':=', 'Al']], [], [{ name: 'office', check: [['Login-Time', '+=', 'Wk0800-1700']], reply: [] }]),
      '2026-11-28T12:00:00Z', 'UTC', accept()],
    ['Login-Time == never matches a request: the user\'s check fails, no password, rejected',
      user([PW, ['Login-Time', '==', 'Any']]), '2026-11-25T12:00:00Z', 'UTC', reject(REPLY_MESSAGES.wrongPassword)],
    ['the tenant\'s zone: 06:00 UTC is 09:00 in Nairobi, inside until 17:01 local',
      user([PW, ['Login-Time', ':=', 'Wk0800-1700']]), '2026-11-25T06:00:00Z', 'Africa/Nairobi', accept(['Session-Timeout', 8 * 3600 + 60])],
    ['the same instant in UTC is outside', user([PW, ['Login-Time', ':=', 'Wk0800-1700']]), '2026-11-25T06:00:00Z', 'UTC',
      reject(REPLY_MESSAGES.outsideLoginTime)],
  ]
  it.each(cases)('%s', async (_label, rows, instant, zone, expected) => {
    expect(await decide(rows, instant, zone)).toMatchObject(expected)
  })

  it('a wrong password inside the window is still rejected', async () => {
    const rows = user([['Cleartext-Password', ':=', 'other'], ['Login-Time', ':=', 'Any']])
    expect(await decide(rows, '2026-11-25T12:00:00Z')).toMatchObject(reject(REPLY_MESSAGES.wrongPassword))
  })
})
