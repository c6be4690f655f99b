import { describe, expect, it } from 'vitest'
import { describeEnforcement } from './enforcement.js'

describe('what an admin action did, in words', () => {
  it('says what RADIUS answers and what each live session’s router replied', () => {
    expect(
      describeEnforcement({
        radius: 'rejects',
        liveSession: { path: 'radius-disconnect', sessions: 1, outcomes: ['ack'] },
        routerApi: { path: 'not-used', reason: 'not-configured' },
      }),
    ).toEqual([
      'RADIUS now rejects this user.',
      'Router API not set up for this router; RADIUS was used instead.',
      '1 live session via RADIUS Disconnect-Request: acknowledged.',
    ])
    expect(
      describeEnforcement({ radius: 'accepts', liveSession: { path: 'radius-coa', sessions: 3, outcomes: ['ack', 'ack', 'timeout'] } }),
    ).toEqual(['RADIUS now accepts this user.', '3 live sessions via RADIUS CoA-Request: 2 acknowledged, 1 no answer from the router.'])
  })

  it('says when the RouterOS API did the work', () => {
    expect(
      describeEnforcement({
        radius: 'rejects',
        liveSession: { path: 'none', reason: 'handled-by-router-api' },
        routerApi: { path: 'router-api', sessions: 2, routers: 1 },
      }),
    ).toEqual(['RADIUS now rejects this user.', '2 live sessions removed through the RouterOS API on 1 router.'])
  })

  it('explains when there was nothing to change or no way to reach the router', () => {
    expect(describeEnforcement({ radius: 'accepts', liveSession: { path: 'none', reason: 'no-live-session' } })).toEqual([
      'RADIUS now accepts this user.',
      'No live session to change.',
    ])
    expect(describeEnforcement({ liveSession: { path: 'unavailable', reason: 'no-coa-client' } })).toEqual([
      'Live sessions could not be reached (no CoA client configured); they end at their next re-login.',
    ])
    expect(describeEnforcement(undefined)).toEqual([])
  })
})
