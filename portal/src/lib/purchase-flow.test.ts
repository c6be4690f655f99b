import { describe, expect, it } from 'vitest'
import {
  INITIAL_FLOW,
  flowFromQuery,
  flowToQuery,
  persistableFlow,
  reduceFlow,
  restoreFlow,
  type Flow,
  type PurchaseStatus,
} from './purchase-flow.js'

const TX = '11111111-2222-4333-8444-555555555555'
const status = (s: Partial<PurchaseStatus>): PurchaseStatus => ({
  transactionId: TX,
  status: 'PENDING',
  failureReason: null,
  message: 'Waiting for you to enter your M-Pesa PIN…',
  canRetry: false,
  expiresAt: null,
  login: null,
  ...s,
})
const paying: Flow = { step: 'paying', planId: 'p1', phone: '0712345678', transactionId: TX, startedAt: 1000, message: null }

describe('the purchase state machine', () => {
  it('walks plans → phone → paying → connecting → online', () => {
    let f = reduceFlow(INITIAL_FLOW, { type: 'choosePlan', planId: 'p1' })
    expect(f).toEqual({ step: 'phone', planId: 'p1', phone: '' })
    f = reduceFlow(f, { type: 'pushStarted', transactionId: TX, phone: '0712345678', now: 1000 })
    expect(f).toEqual(paying)
    f = reduceFlow(f, { type: 'status', status: status({}) })
    expect(f).toEqual({ ...paying, message: 'Waiting for you to enter your M-Pesa PIN…' })
    f = reduceFlow(f, {
      type: 'status',
      status: status({
        status: 'COMPLETED',
        expiresAt: '2026-12-02T15:42:00.000Z',
        login: { username: '254712345678', password: 'abc' },
      }),
    })
    expect(f).toEqual({
      step: 'connecting',
      planId: 'p1',
      transactionId: TX,
      expiresAt: '2026-12-02T15:42:00.000Z',
      login: { username: '254712345678', password: 'abc' },
      attempts: 0,
    })
    f = reduceFlow(f, { type: 'online', expiresAt: null })
    expect(f).toEqual({ step: 'online', planId: 'p1', expiresAt: '2026-12-02T15:42:00.000Z', transactionId: TX })
  })

  it('turns a FAILED status into a failed step that keeps the plan and phone for a one-tap retry', () => {
    const f = reduceFlow(paying, {
      type: 'status',
      status: status({ status: 'FAILED', failureReason: 'WRONG_PIN', message: 'The M-Pesa PIN was wrong.', canRetry: true }),
    })
    expect(f).toEqual({
      step: 'failed',
      planId: 'p1',
      phone: '0712345678',
      reason: 'WRONG_PIN',
      message: 'The M-Pesa PIN was wrong.',
      canRetry: true,
    })
    expect(reduceFlow(f, { type: 'pushStarted', transactionId: 'tx2', phone: '0712345678', now: 5 })).toEqual({
      ...paying,
      transactionId: 'tx2',
      startedAt: 5,
    })
  })

  it('never starts a second push while one is being paid, and ignores answers about another attempt', () => {
    expect(reduceFlow(paying, { type: 'pushStarted', transactionId: 'other', phone: '0700000000', now: 9 })).toBe(paying)
    expect(reduceFlow(paying, { type: 'choosePlan', planId: 'p2' })).toBe(paying)
    expect(reduceFlow(paying, { type: 'status', status: status({ transactionId: 'other', status: 'COMPLETED' }) })).toBe(paying)
  })

  it('keeps everything but the router password on the device, and restores what it wrote', () => {
    const connecting: Flow = {
      step: 'connecting',
      planId: 'p1',
      transactionId: TX,
      expiresAt: null,
      login: { username: 'u', password: 'secret' },
      attempts: 1,
    }
    const stored = JSON.parse(JSON.stringify(persistableFlow(connecting)))
    expect(stored.login).toBeNull()
    expect(restoreFlow(stored)).toEqual({ ...connecting, login: null })
    expect(restoreFlow(JSON.parse(JSON.stringify(paying)))).toEqual(paying)
    expect(restoreFlow({ step: 'paying' })).toEqual(INITIAL_FLOW)
    expect(restoreFlow('nonsense')).toEqual(INITIAL_FLOW)
  })

  it('mirrors the step into the URL and resumes from the URL alone', () => {
    expect(flowToQuery(paying)).toEqual({ step: 'paying', plan: 'p1', tx: TX })
    expect(flowToQuery(INITIAL_FLOW)).toEqual({ step: null, plan: null, tx: null })
    expect(flowFromQuery(new URLSearchParams(`step=paying&plan=p1&tx=${TX}`), 42)).toEqual({
      step: 'paying',
      planId: 'p1',
      phone: '',
      transactionId: TX,
      startedAt: 42,
      message: null,
    })
    expect(flowFromQuery(new URLSearchParams(`step=online&tx=${TX}`), 42)).toEqual({
      step: 'connecting',
      planId: null,
      transactionId: TX,
      expiresAt: null,
      login: null,
      attempts: 0,
    })
    expect(flowFromQuery(new URLSearchParams('step=paying'), 42)).toEqual(INITIAL_FLOW)
  })

  it('counts the login forms sent for one attempt, across a reload, and starts afresh for another login', () => {
    let f: Flow = { step: 'connecting', planId: 'p1', transactionId: TX, expiresAt: null, login: null, attempts: 0 }
    f = reduceFlow(f, { type: 'loginSent' })
    f = restoreFlow(JSON.parse(JSON.stringify(persistableFlow(f))))
    expect(f).toMatchObject({ step: 'connecting', attempts: 1 })
    f = reduceFlow(f, { type: 'loginReady', login: { username: 'u', password: 'p' }, expiresAt: null, transactionId: TX })
    expect(f).toMatchObject({ attempts: 1, login: { username: 'u', password: 'p' } })
    expect(
      reduceFlow(f, { type: 'loginReady', login: { username: 'v', password: 'q' }, expiresAt: null, transactionId: null }),
    ).toMatchObject({ attempts: 0 })
    expect(reduceFlow(paying, { type: 'loginSent' })).toBe(paying)
  })
})
