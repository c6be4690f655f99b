/**
 * STK result codes (digest §1.6) → a stable failure reason the portal turns into words, and the sentence we
 * show the customer. Switch on the code, never on ResultDesc (its wording varies).
 */

/** Stable reasons stored in transactions.failure_reason. */
export type FailureReason =
  | 'INSUFFICIENT_FUNDS' | 'CANCELLED' | 'TIMEOUT' | 'WRONG_PIN' | 'EXPIRED' | 'RULE_LIMITED' | 'LIMIT_EXCEEDED'
  | 'SUBSCRIBER_LOCKED' | 'PIN_LOCKED' | 'MERCHANT_MISCONFIGURED' | 'PUSH_FAILED' | 'UNKNOWN'

interface Meaning { readonly reason: FailureReason; readonly message: string; readonly canRetry: boolean }

const MEANINGS: Readonly<Record<string, Meaning>> = Object.freeze({
  '1': { reason: 'INSUFFICIENT_FUNDS', message: 'Your M-Pesa balance was not enough. Top up and try again.', canRetry: true },
  '2': { reason: 'LIMIT_EXCEEDED', message: 'The amount is below the M-Pesa minimum.', canRetry: false },
  '3': { reason: 'LIMIT_EXCEEDED', message: 'The amount is above your M-Pesa transaction limit.', canRetry: false },
  '4': { reason: 'LIMIT_EXCEEDED', message: 'This payment would exceed your M-Pesa daily limit. Try again tomorrow.', canRetry: false },
  '8': { reason: 'MERCHANT_MISCONFIGURED', message: 'The provider cannot receive payments right now. Please contact them.', canRetry: false },
  '17': { reason: 'RULE_LIMITED', message: 'M-Pesa blocks the same payment twice within 2 minutes. Wait 2 minutes, then try again.', canRetry: true },
  '1001': { reason: 'SUBSCRIBER_LOCKED', message: 'Another M-Pesa prompt is open on your phone. Finish or cancel it, wait a minute, then try again.', canRetry: true },
  '1019': { reason: 'EXPIRED', message: 'The M-Pesa prompt expired before you entered your PIN. Try again.', canRetry: true },
  '1025': { reason: 'PUSH_FAILED', message: 'M-Pesa could not send the prompt to your phone. Try again.', canRetry: true },
  '1032': { reason: 'CANCELLED', message: 'You cancelled the M-Pesa prompt. Try again when ready.', canRetry: true },
  '1036': { reason: 'TIMEOUT', message: 'M-Pesa did not get an answer in time. Try again.', canRetry: true },
  '1037': { reason: 'TIMEOUT', message: 'Your phone could not be reached or no PIN was entered. Keep your phone unlocked and try again.', canRetry: true },
  '2001': { reason: 'WRONG_PIN', message: 'The M-Pesa PIN was wrong. Try again with the right PIN.', canRetry: true },
  '2028': { reason: 'MERCHANT_MISCONFIGURED', message: 'The provider cannot receive payments right now. Please contact them.', canRetry: false },
  '8006': { reason: 'PIN_LOCKED', message: 'Your M-Pesa PIN is locked. Call Safaricom on 100 or 200.', canRetry: false },
  '9999': { reason: 'PUSH_FAILED', message: 'M-Pesa could not send the prompt to your phone. Try again.', canRetry: true },
  SFC_IC0003: { reason: 'MERCHANT_MISCONFIGURED', message: 'The provider cannot receive payments right now. Please contact them.', canRetry: false },
})

const UNKNOWN: Meaning = { reason: 'UNKNOWN', message: 'M-Pesa did not complete the payment. Try again.', canRetry: true }

/** The meaning of a non-zero result code; unknown codes are UNKNOWN (a failure, never a success). */
export function describeResultCode(code: string): Meaning {
  return MEANINGS[code.trim()] ?? UNKNOWN
}

/** Whether a result code means paid. Only "0" does. */
export function isSuccessCode(code: string): boolean {
  return code.trim() === '0'
}

/** The customer-facing sentence for a stored failure reason. */
export function messageForFailureReason(reason: string | null): string {
  for (const m of Object.values(MEANINGS)) if (m.reason === reason) return m.message
  return UNKNOWN.message
}
