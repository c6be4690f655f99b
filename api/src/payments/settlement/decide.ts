/**
 * The settlement rules as one pure function: given a transaction and new evidence about its STK push (a
 * callback, a query answer, or both), what changes and whether to credit. Crediting itself is guarded again in
 * the database (row lock + `credited_at IS NULL`), so a wrong call here can never credit twice — but it could
 * credit wrongly, which is why every disagreement goes to MANUAL_REVIEW or UNMATCHED instead.
 */
import { fromMajor, type SettledBy } from '@mnetifi/db/domain'
import type { TransactionRow, TransactionUpdate } from '@mnetifi/db'
import type { ParsedStkCallback } from '../daraja/schemas.js'
import { describeResultCode, isSuccessCode } from '../daraja/result-codes.js'

/** What we learnt about a push. `query` is an STK query's final answer; `callback` a validated callback. */
export interface StkEvidence {
  readonly source: Extract<SettledBy, 'CALLBACK' | 'POLL' | 'RECOVERY'>
  readonly query?: { readonly resultCode: string; readonly resultDesc: string }
  readonly callback?: ParsedStkCallback
}

/** The outcome of {@link decideStkSettlement}. */
export interface StkDecision {
  /** Columns to change (empty when the evidence adds nothing). */
  readonly update: TransactionUpdate
  /** Whether to credit the plan now (only from PENDING with consistent evidence). */
  readonly credit: boolean
  /** Why, for logs and tests. */
  readonly reason: string
}

type Tx = Pick<TransactionRow, 'status' | 'amount' | 'currency' | 'mpesa_receipt' | 'reconciliation_status' | 'reconciliation_note'>

const review = (tx: Tx, note: string): TransactionUpdate => ({
  reconciliation_status: 'MANUAL_REVIEW',
  reconciliation_note: tx.reconciliation_note ? `${tx.reconciliation_note}; ${note}` : note,
})

/**
 * Decides what `evidence` means for `tx`.
 * @param receiptHolder id of another transaction that already holds the callback's receipt, if any.
 */
export function decideStkSettlement(tx: Tx, evidence: StkEvidence, now: Date, receiptHolder?: string): StkDecision {
  const cb = evidence.callback
  const q = evidence.query
  if (!cb && !q) return { credit: false, reason: 'no evidence', update: {} }
  const cbOk = cb ? isSuccessCode(cb.resultCode) : undefined
  const qOk = q ? isSuccessCode(q.resultCode) : undefined
  const receipt = cb?.receipt && !receiptHolder ? cb.receipt : undefined
  const paidMinor = cb?.amountMajor !== undefined ? fromMajor(cb.amountMajor, tx.currency) : undefined
  const amountDiffers = cbOk === true && paidMinor !== undefined && paidMinor !== tx.amount
  const receiptNote = receiptHolder ? `receipt ${cb?.receipt} is already held by transaction ${receiptHolder}` : undefined

  if (tx.status === 'PENDING') {
    if (cbOk !== undefined && qOk !== undefined && cbOk !== qOk) {
      const money = qOk
      return {
        credit: false, reason: 'callback and query disagree',
        update: {
          status: money ? 'COMPLETED' : 'FAILED', ...(money ? { completed_at: now } : {}), settled_by: evidence.source,
          result_code: q!.resultCode, result_desc: q!.resultDesc, ...(receipt ? { mpesa_receipt: receipt } : {}),
          ...review(tx, `callback said ${cb!.resultCode}, STK query said ${q!.resultCode}`),
        },
      }
    }
    const code = q?.resultCode ?? cb!.resultCode
    const desc = q?.resultDesc ?? cb!.resultDesc
    if (!isSuccessCode(code)) {
      return {
        credit: false, reason: 'payment failed',
        update: { status: 'FAILED', settled_by: evidence.source, result_code: code, result_desc: desc, failure_reason: describeResultCode(code).reason },
      }
    }
    const base: TransactionUpdate = {
      status: 'COMPLETED', completed_at: now, settled_by: evidence.source, result_code: code, result_desc: desc, failure_reason: null,
      ...(receipt ? { mpesa_receipt: receipt } : {}),
    }
    if (amountDiffers) {
      return {
        credit: false, reason: 'amount differs',
        update: { ...base, reconciliation_status: 'UNMATCHED', reconciliation_note: `paid ${paidMinor} minor units, the plan costs ${tx.amount}` },
      }
    }
    if (receiptNote) return { credit: false, reason: 'receipt already used', update: { ...base, ...review(tx, receiptNote) } }
    return { credit: true, reason: 'paid', update: { ...base, reconciliation_status: 'MATCHED' } }
  }

  if (tx.status === 'COMPLETED') {
    if (cbOk === false || qOk === false) {
      return { credit: false, reason: 'failure after completion', update: review(tx, `${cb ? 'callback' : 'STK query'} reported ${cb?.resultCode ?? q?.resultCode} after the payment was completed`) }
    }
    if (!cb?.receipt) return { credit: false, reason: 'nothing new', update: {} }
    if (tx.mpesa_receipt === cb.receipt) return { credit: false, reason: 'duplicate callback', update: {} }
    if (receiptNote) return { credit: false, reason: 'receipt already used', update: review(tx, receiptNote) }
    if (tx.mpesa_receipt) return { credit: false, reason: 'second receipt', update: review(tx, `a second receipt ${cb.receipt} arrived for a payment settled with ${tx.mpesa_receipt}`) }
    if (amountDiffers) {
      return { credit: false, reason: 'late amount differs', update: { mpesa_receipt: cb.receipt, ...review(tx, `callback amount ${paidMinor} differs from the price ${tx.amount} credited by the STK query`) } }
    }
    // The poll settled it without a receipt (the STK query has none); the late callback fills it in.
    return { credit: false, reason: 'receipt filled in', update: { mpesa_receipt: cb.receipt } }
  }

  // FAILED: a success now means money moved for a purchase we told the customer had failed.
  if (cbOk === true || qOk === true) {
    return {
      credit: false, reason: 'success after failure',
      update: { status: 'COMPLETED', completed_at: now, ...(receipt ? { mpesa_receipt: receipt } : {}), ...review(tx, `${cbOk ? 'callback' : 'STK query'} reported success after the payment had failed (${receiptNote ?? 'not credited'})`) },
    }
  }
  return { credit: false, reason: 'already failed', update: {} }
}
