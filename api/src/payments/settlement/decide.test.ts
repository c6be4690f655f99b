import { describe, expect, it } from 'vitest'
import { decideStkSettlement, type StkEvidence } from './decide.js'

const now = new Date('2026-11-26T07:15:30.000Z')
const pending = { status: 'PENDING' as const, amount: 5000, currency: 'KES', mpesa_receipt: null, reconciliation_status: null, reconciliation_note: null }
const ok = { merchantRequestId: 'm', checkoutRequestId: 'c', resultCode: '0', resultDesc: 'ok', receipt: 'UKQ7RT61SV', amountMajor: 50 }
const q0 = { resultCode: '0', resultDesc: 'The service request is processed successfully.' }
const cb = (c: Partial<typeof ok> = {}): StkEvidence => ({ source: 'CALLBACK', callback: { ...ok, ...c } })

describe('settlement rules', () => {
  it('credits a PENDING push when callback and query agree on success and the amount matches', () => {
    const d = decideStkSettlement(pending, { ...cb(), query: q0 }, now)
    expect(d.credit).toBe(true)
    expect(d.update).toMatchObject({ status: 'COMPLETED', reconciliation_status: 'MATCHED', mpesa_receipt: 'UKQ7RT61SV', settled_by: 'CALLBACK' })
  })
  it('credits on the poll alone, without a receipt (the STK query has none)', () => {
    const d = decideStkSettlement(pending, { source: 'POLL', query: q0 }, now)
    expect(d.credit).toBe(true)
    expect(d.update).not.toHaveProperty('mpesa_receipt')
  })
  it('accepts 1.00 as the same amount as 100 minor units', () => {
    expect(decideStkSettlement({ ...pending, amount: 100 }, cb({ amountMajor: 1.0 }), now).credit).toBe(true)
  })
  it('sends a different amount to UNMATCHED without credit', () => {
    const d = decideStkSettlement(pending, cb({ amountMajor: 51 }), now)
    expect(d).toMatchObject({ credit: false, update: { status: 'COMPLETED', reconciliation_status: 'UNMATCHED' } })
  })
  it('sends callback/query disagreement to MANUAL_REVIEW without credit', () => {
    const d = decideStkSettlement(pending, { ...cb(), query: { resultCode: '1032', resultDesc: 'cancelled' } }, now)
    expect(d).toMatchObject({ credit: false, update: { status: 'FAILED', reconciliation_status: 'MANUAL_REVIEW' } })
    const e = decideStkSettlement(pending, { ...cb({ resultCode: '1037' }), query: q0 }, now)
    expect(e).toMatchObject({ credit: false, update: { status: 'COMPLETED', reconciliation_status: 'MANUAL_REVIEW' } })
  })
  it('sends a receipt already held by another transaction to MANUAL_REVIEW and does not store it', () => {
    const d = decideStkSettlement(pending, cb(), now, 'other-tx')
    expect(d.credit).toBe(false)
    expect(d.update).toMatchObject({ reconciliation_status: 'MANUAL_REVIEW' })
    expect(d.update).not.toHaveProperty('mpesa_receipt')
  })
  it.each([['1032', 'CANCELLED'], ['1037', 'TIMEOUT'], ['2001', 'WRONG_PIN'], ['1', 'INSUFFICIENT_FUNDS'], ['SFC_IC0003', 'MERCHANT_MISCONFIGURED'], ['4242', 'UNKNOWN']])(
    'fails %s as %s', (code, reason) => {
      const d = decideStkSettlement(pending, { source: 'POLL', query: { resultCode: code, resultDesc: 'x' } }, now)
      expect(d).toMatchObject({ credit: false, update: { status: 'FAILED', failure_reason: reason, result_code: code } })
    })
  it('fills the receipt of a poll-settled payment from a late callback, never crediting again', () => {
    const d = decideStkSettlement({ ...pending, status: 'COMPLETED', reconciliation_status: 'MATCHED' }, cb(), now)
    expect(d).toEqual({ credit: false, reason: 'receipt filled in', update: { mpesa_receipt: 'UKQ7RT61SV' } })
  })
  it('ignores an exact duplicate callback', () => {
    const d = decideStkSettlement({ ...pending, status: 'COMPLETED', mpesa_receipt: 'UKQ7RT61SV', reconciliation_status: 'MATCHED' }, cb(), now)
    expect(d).toEqual({ credit: false, reason: 'duplicate callback', update: {} })
  })
  it('flags a success after a failure without crediting', () => {
    const d = decideStkSettlement({ ...pending, status: 'FAILED' }, cb(), now)
    expect(d).toMatchObject({ credit: false, update: { status: 'COMPLETED', reconciliation_status: 'MANUAL_REVIEW' } })
  })
})
