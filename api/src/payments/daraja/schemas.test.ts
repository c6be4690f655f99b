/** The zod schemas against the shared real-shape fixtures (shared/fixtures/daraja) and their documented variants. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { classifyDarajaError } from './errors.js'
import {
  C2bPaymentSchema, OAuthResponseSchema, StkCallbackSchema, StkQueryResponseSchema, TransactionStatusResultSchema,
  parseStkCallback, parseTransactionStatusResult,
} from './schemas.js'
import { darajaTimestamp, parseDarajaTime, stkPassword } from './timestamp.js'
import { SANDBOX_PASSKEY } from './tenant-client.js'
import { assertCallbackUrlAllowed } from './client.js'

const FIXTURES = new URL('./fixtures', import.meta.url).pathname
const fixture = (name: string): unknown => JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8'))

describe('Daraja payloads', () => {
  it('reads the success callback by item name, Balance without Value', () => {
    expect(parseStkCallback(StkCallbackSchema.parse(fixture('stk_callback_success.json')))).toEqual({
      merchantRequestId: 'c8a1-4f3e-9b6d-2e7f51a0d4c91583027', checkoutRequestId: 'ws_CO_26112026101501734708374149', resultCode: '0',
      resultDesc: 'The service request is processed successfully.', receipt: 'UKQ7RT61SV', amountMajor: 50, phone: '254708374149', transactionDate: '20261126101522',
    })
  })
  it.each(['stk_callback_cancelled_1032.json', 'stk_callback_timeout_1037.json', 'stk_callback_wrong_pin_2001.json', 'stk_callback_insufficient_1.json'])(
    'reads failure callback %s with the code as a string', (f) => {
      const p = parseStkCallback(StkCallbackSchema.parse(fixture(f)))
      expect(p.resultCode).toMatch(/^\d+$/)
      expect(p.receipt).toBeUndefined()
    })
  it('accepts a non-numeric ResultCode (SFC_IC0003)', () => {
    const body = { Body: { stkCallback: { MerchantRequestID: 'a', CheckoutRequestID: 'b', ResultCode: 'SFC_IC0003', ResultDesc: 'The operator does not exist.' } } }
    expect(parseStkCallback(StkCallbackSchema.parse(body)).resultCode).toBe('SFC_IC0003')
  })
  it('reads STK query answers with string codes', () => {
    expect(StkQueryResponseSchema.parse(fixture('stk_query_success.json')).ResultCode).toBe('0')
    expect(StkQueryResponseSchema.parse(fixture('stk_query_cancelled.json')).ResultCode).toBe('1032')
  })
  it('parses expires_in "3599" as a number', () => {
    expect(OAuthResponseSchema.parse(fixture('oauth_response.json')).expires_in).toBe(3599)
  })
  it('reads the Transaction Status result: receipt from ReceiptNo, shortcode and payer', () => {
    expect(parseTransactionStatusResult(TransactionStatusResultSchema.parse(fixture('transaction_status_result.json')))).toMatchObject({
      receipt: 'UKQ7RT61SV', amountMajor: 50, creditShortcode: '174379', debitPhone: '254708374149', transactionStatus: 'Completed', reasonType: 'Pay Bill Online',
    })
  })
  it('reads C2B confirmations v2 (masked) and v1 (hashed)', () => {
    expect(C2bPaymentSchema.parse(fixture('c2b_confirmation.json')).TransAmount).toBe('50.00')
    expect(C2bPaymentSchema.parse(fixture('c2b_confirmation_v1_hashed.json')).TransID).toBe('UKQ8XK2P4M')
  })
})

describe('Daraja quirks', () => {
  it('tells "being processed" from other 500.001.1001 errors by message', () => {
    expect(classifyDarajaError(500, fixture('stk_query_pending_error.json') as never).kind).toBe('pending')
    expect(classifyDarajaError(500, { errorCode: '500.001.1001', errorMessage: 'Unable to lock subscriber, a transaction is already in process for the current subscriber' }).kind).toBe('subscriber_locked')
    expect(classifyDarajaError(500, { errorCode: '500.001.1001', errorMessage: 'Wrong credentials' }).kind).toBe('rejected')
    expect(classifyDarajaError(500, { errorCode: '500.001.1001', errorMessage: 'Merchant does not exist' }).kind).toBe('rejected')
    expect(classifyDarajaError(404, { errorCode: '404.001.03', errorMessage: 'Invalid Access Token' }).kind).toBe('invalid_token')
    expect(classifyDarajaError(500, { errorCode: '500.003.02', errorMessage: 'Spike Arrest Violation' }).retryable).toBe(true)
    expect(classifyDarajaError(400, { errorCode: '400.002.02', errorMessage: 'Bad Request - Invalid PhoneNumber' }).retryable).toBe(false)
  })
  it('builds the documented password and EAT timestamp', () => {
    expect(stkPassword('174379', SANDBOX_PASSKEY, '20261126101500')).toBe((fixture('stk_push_request.json') as { Password: string }).Password)
    expect(darajaTimestamp(new Date('2026-11-26T07:15:00Z'))).toBe('20261126101500')
    expect(parseDarajaTime('20261126101522')!.toISOString()).toBe('2026-11-26T07:15:22.000Z')
  })
  it('refuses callback URLs with words Daraja blocks', () => {
    expect(() => assertCallbackUrlAllowed('https://api.example/mpesa/callback', false)).toThrow(/refuses/)
    expect(() => assertCallbackUrlAllowed('https://api.example/hooks/daraja/stk/abc', false)).not.toThrow()
    expect(() => assertCallbackUrlAllowed('http://api.example/hooks/daraja/stk/abc', true)).toThrow(/https/)
  })
})
