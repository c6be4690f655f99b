/**
 * Policy types. Outcomes are values modelled on FreeRADIUS rcodes (style §9): `fail` means "send nothing" so
 * the NAS retransmits (for example while the database is down); exceptions are for bugs only.
 */
import type { AttributeMap, AttributeValue, RadiusPacket } from '../protocol/codec.js'
import type { AttributeName } from '../dictionary/index.js'
import type { AuthorizeData, HotPath } from '../store/hot-path.js'
import type { NasClient } from '../clients.js'

/** What a stage decided. `ok`/`noop` continue the pipeline; anything else ends it. */
export type Outcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'noop' }
  | { readonly kind: 'notfound' }
  /**
   * `replyMessage` is our default text: the operator's own Reply-Message rows, when there are any, are sent
   * instead (FreeRADIUS keeps the reply list on reject). `replacesReply`: FreeRADIUS empties the reply before this
   * reject (Simultaneous-Use's msg_denied, auth.c), so the operator's rows are not sent.
   */
  | { readonly kind: 'reject'; readonly replyMessage: string; readonly reason: string; readonly replacesReply?: boolean }
  | { readonly kind: 'userlock'; readonly replyMessage: string; readonly reason: string }
  | { readonly kind: 'fail'; readonly reason: string; readonly error?: unknown }

/** The two continue outcomes, shared: a stage that lets the request through allocates nothing. */
export const OK: Outcome = Object.freeze({ kind: 'ok' })
export const NOOP: Outcome = Object.freeze({ kind: 'noop' })

/** Mutable per-request state the stages fill in, in order. */
export interface AccessContext {
  readonly packet: RadiusPacket
  readonly attributes: AttributeMap
  readonly client: NasClient
  readonly hotPath: HotPath
  /** Interim interval assumed for stale sessions when neither plan nor hotspot sets one, seconds. */
  readonly defaultInterimS: number
  data?: AuthorizeData
  /** Which store the subject came from: MnetiFi's domain tables or operator rad* rows. */
  subject?: 'native' | 'rad'
  /** Stored cleartext password, when known. */
  cleartext?: string
  /** Stored NT hash (NT-Password), when that is all an operator row gives. */
  ntHash?: Buffer
  /** Other hashed known-good passwords from operator rows (MD5-Password, SSHA-Password, …), for PAP only. */
  hashedPasswords?: ReadonlyArray<readonly [string, string]>
  /** Skip credential checks: MAC login, or `Auth-Type := Accept`. */
  skipAuthentication?: boolean
  /** Simultaneous-Use limit, when one applies. */
  simultaneousUse?: number
  /** Reply attributes of an Access-Accept, in order. */
  readonly reply: Array<[AttributeName, AttributeValue]>
  /** Reply-Message rows an operator configured, radreply then radgroupreply (sent on reject, like FreeRADIUS). */
  operatorReplyMessages?: string[]
  /** Extra attributes for an Access-Reject (MS-CHAP-Error). */
  readonly rejectExtras: Array<[AttributeName, AttributeValue]>
  /** Name of the subject for logs and radpostauth (the wifi user's username for MAC logins). */
  subjectName?: string
  /**
   * IANA time zone `Login-Time` and `Current-Time` are read in: the NAS tenant's `tenants.timezone`. Absent (or
   * unknown to ICU): the process's local zone, as FreeRADIUS reads them in the server's local time.
   */
  readonly timeZone?: string | null
}

/** One authorise stage, like a FreeRADIUS module binding (`module_rlm_t`). */
export interface PolicyStage {
  readonly name: string
  run(ctx: AccessContext): Outcome | Promise<Outcome>
}

/** Reply-Message texts a subscriber reads on the hotspot login page (`$(error)`). */
export const REPLY_MESSAGES = Object.freeze({
  unknownUser: 'Unknown username. Please check it, or buy a package to get one.',
  wrongPassword: 'Wrong password. Please try again.',
  noCredentials: 'No password was sent. Please log in again.',
  suspended: 'Your account is suspended. Please contact support.',
  expired: 'Your package has expired. Please buy a new package to continue.',
  noPlan: 'You have no active plan. Please buy a package.',
  wrongAccountType: 'Your plan does not cover this type of connection.',
  tenantBlocked: 'Service is temporarily unavailable. Please contact your provider.',
  /** FreeRADIUS's `msg_denied` default, kept verbatim for operators who match on it. */
  alreadyLoggedIn: 'You are already logged in - access denied',
  rejectedByPolicy: 'Access denied.',
  /** Login-Time outside the allowed hours (FreeRADIUS's rlm_logintime sends no Reply-Message). */
  outsideLoginTime: 'You cannot log in at this time. Please try again during your allowed hours.',
} as const)
