/**
 * Authentication stage: picks the method from the request the way FreeRADIUS's mschap/chap/pap modules set
 * Auth-Type (MS-CHAPv2 first — MikroTik PPPoE negotiates it first — then CHAP, then PAP), and checks it against
 * the stored cleartext or NT hash — or, for PAP only, the hashed known-good passwords of operator rows (Crypt-Password
 * included). CHAP and MS-CHAPv2 against a user who has only hashes are rejected with the wrong-password message,
 * as FreeRADIUS rejects them (rlm_chap needs Cleartext-Password, rlm_mschap an NT hash).
 */
import { verifyChap } from '../auth/chap.js'
import { ntPasswordHash, verifyMsChapV2 } from '../auth/mschapv2.js'
import { verifyPap } from '../auth/pap.js'
import { verifyHashedPassword } from '../auth/password-hashes.js'
import { NOOP, OK, REPLY_MESSAGES, type Outcome, type PolicyStage } from './types.js'

const first = (ctx: Parameters<PolicyStage['run']>[0], name: Parameters<typeof ctx.attributes.get>[0]) => ctx.attributes.get(name)?.[0]

const WRONG_PASSWORD: Outcome = Object.freeze({ kind: 'reject', replyMessage: REPLY_MESSAGES.wrongPassword, reason: 'wrong password' })

/**
 * rlm_pap over hashed known-good passwords: the first one that can be used decides. Synchronous until a
 * Crypt-Password is reached, which answers with a Promise (the rest of the list then continues after it).
 */
function papAgainstHashes(hashes: ReadonlyArray<readonly [string, string]>, typed: string, from: number): Outcome | Promise<Outcome> {
  for (let k = from; k < hashes.length; k++) {
    const [name, value] = hashes[k]!
    const ok = verifyHashedPassword(name, value, typed)
    if (ok instanceof Promise) {
      return ok.then((answer) => answer === undefined ? papAgainstHashes(hashes, typed, k + 1) : answer ? OK : WRONG_PASSWORD)
    }
    if (ok !== undefined) return ok ? OK : WRONG_PASSWORD
  }
  return { kind: 'reject', replyMessage: REPLY_MESSAGES.wrongPassword, reason: 'no usable known good password' }
}

export const authenticateStage: PolicyStage = {
  name: 'authenticate',
  run(ctx): Outcome | Promise<Outcome> {
    if (ctx.skipAuthentication) return NOOP
    const wrong = WRONG_PASSWORD
    const msResponse = first(ctx, 'MS-CHAP2-Response')
    const msChallenge = first(ctx, 'MS-CHAP-Challenge')
    if (Buffer.isBuffer(msResponse) && Buffer.isBuffer(msChallenge)) {
      const hash = ctx.cleartext !== undefined ? ntPasswordHash(ctx.cleartext) : ctx.ntHash
      const userName = String(first(ctx, 'User-Name') ?? '')
      if (!hash) return { ...wrong, reason: 'no cleartext or NT-Password for MS-CHAPv2' }
      const result = verifyMsChapV2(msResponse, msChallenge, userName, hash)
      if (!result.ok) {
        ctx.rejectExtras.push(['MS-CHAP-Error', result.error])
        return wrong
      }
      // FreeRADIUS defaults (rlm_mschap use_mppe = yes, require_encryption = no, require_strong = no).
      ctx.reply.push(['MS-CHAP2-Success', result.success], ['MS-MPPE-Recv-Key', result.recvKey],
        ['MS-MPPE-Send-Key', result.sendKey], ['MS-MPPE-Encryption-Policy', 'Encryption-Allowed'],
        ['MS-MPPE-Encryption-Types', 'RC4-40or128-bit-Allowed'])
      return OK
    }
    const chapPassword = first(ctx, 'CHAP-Password')
    if (Buffer.isBuffer(chapPassword)) {
      if (ctx.cleartext === undefined) return { ...wrong, reason: 'CHAP needs a cleartext password' }
      const challenge = first(ctx, 'CHAP-Challenge')
      return verifyChap(chapPassword, Buffer.isBuffer(challenge) ? challenge : ctx.packet.authenticator, ctx.cleartext)
        ? OK : wrong
    }
    const typed = first(ctx, 'User-Password')
    if (typeof typed === 'string') {
      if (ctx.cleartext !== undefined) return verifyPap(typed, ctx.cleartext) ? OK : wrong
      if (ctx.ntHash) return ntPasswordHash(typed).equals(ctx.ntHash) ? OK : wrong
      if (ctx.hashedPasswords) return papAgainstHashes(ctx.hashedPasswords, typed, 0)
      return { ...wrong, reason: 'no known good password' }
    }
    return { kind: 'reject', replyMessage: REPLY_MESSAGES.noCredentials, reason: 'no credentials in request' }
  },
}

/** Simultaneous-Use (FreeRADIUS auth.c): occupancy comes from radiusd_authorize(), claim included. */
export const simultaneousUseStage: PolicyStage = {
  name: 'simultaneous-use',
  run(ctx): Outcome {
    const limit = ctx.simultaneousUse
    if (limit === undefined || !ctx.data) return NOOP
    if (ctx.data.occupancy >= limit) {
      const message = limit > 1 ? `${REPLY_MESSAGES.alreadyLoggedIn} (${limit})` : REPLY_MESSAGES.alreadyLoggedIn
      return { kind: 'reject', replyMessage: message, reason: `simultaneous use ${ctx.data.occupancy}/${limit}`, replacesReply: true }
    }
    return OK
  },
}
