/**
 * MS-CHAPv2 (RFC 2759 §8) and its MPPE keys (RFC 3079 §3.3–3.4), as RADIUS carries them (RFC 2548 §2.3).
 *
 * Node 20's OpenSSL 3 has no MD4 or DES without the legacy provider, so those come from the pure-JS packages
 * `js-md4` and `des.js`; SHA-1 is Node's. Verified against RFC 2759 §9.2 and RFC 3079 §3.5.3 vectors.
 */
import { timingSafeEqual } from 'node:crypto'
import md4 from 'js-md4'
import { DES } from 'des.js'
import { digestOf } from '../protocol/crypto.js'

const MAGIC1 = Buffer.from('Magic server to client signing constant', 'ascii')
const MAGIC2 = Buffer.from('Pad to make it do more than one iteration', 'ascii')
const MASTER_MAGIC = Buffer.from('This is the MPPE Master Key', 'ascii')
/** RFC 3079 §3.4 Magic2 / Magic3 (84 octets each). */
const SEND_MAGIC_SERVER = Buffer.from('On the client side, this is the receive key; on the server side, it is the send key.', 'ascii')
const RECV_MAGIC_SERVER = Buffer.from('On the client side, this is the send key; on the server side, it is the receive key.', 'ascii')
const SHS_PAD1 = Buffer.alloc(40, 0x00)
const SHS_PAD2 = Buffer.alloc(40, 0xf2)

const sha1 = (...parts: Buffer[]): Buffer => digestOf('sha1', ...parts)

/** NtPasswordHash = MD4(UTF-16LE(password)) (RFC 2759 §8.3). */
export function ntPasswordHash(password: string): Buffer {
  return Buffer.from(md4.arrayBuffer(Buffer.from(password, 'utf16le')))
}

/** ChallengeHash = SHA1(PeerChallenge ‖ AuthenticatorChallenge ‖ UserName)[0..8]; `DOMAIN\` is stripped (§8.2). */
export function challengeHash(peerChallenge: Buffer, authChallenge: Buffer, userName: string): Buffer {
  const bare = userName.includes('\\') ? userName.slice(userName.lastIndexOf('\\') + 1) : userName
  return sha1(peerChallenge, authChallenge, Buffer.from(bare, 'utf8')).subarray(0, 8)
}

/** Expands 7 key octets into an 8-octet DES key (parity bits are ignored by DES). */
function desKey(seven: Buffer): number[] {
  const k: number[] = []
  let bits = 0n
  for (const b of seven) bits = (bits << 8n) | BigInt(b)
  for (let i = 0; i < 8; i++) k.push(Number((bits >> BigInt(49 - i * 7)) & 0x7fn) << 1)
  return k
}

function desEncrypt(seven: Buffer, block: Buffer): Buffer {
  const cipher = DES.create({ type: 'encrypt', key: desKey(seven), padding: false })
  return Buffer.from(cipher.update(block).concat(cipher.final()))
}

/** ChallengeResponse (RFC 2759 §8.5): three DES encryptions of the challenge with the zero-padded hash. */
export function challengeResponse(challenge: Buffer, passwordHash: Buffer): Buffer {
  const z = Buffer.concat([passwordHash, Buffer.alloc(5)])
  return Buffer.concat([desEncrypt(z.subarray(0, 7), challenge), desEncrypt(z.subarray(7, 14), challenge),
    desEncrypt(z.subarray(14, 21), challenge)])
}

/** GenerateNTResponse (RFC 2759 §8.1). */
export function generateNtResponse(authChallenge: Buffer, peerChallenge: Buffer, userName: string, passwordHash: Buffer): Buffer {
  return challengeResponse(challengeHash(peerChallenge, authChallenge, userName), passwordHash)
}

/** GenerateAuthenticatorResponse (RFC 2759 §8.7): `"S=" + 40 upper-case hex digits`. */
export function authenticatorResponse(passwordHash: Buffer, ntResponse: Buffer, peerChallenge: Buffer,
  authChallenge: Buffer, userName: string): string {
  const hashHash = Buffer.from(md4.arrayBuffer(passwordHash))
  const digest = sha1(hashHash, ntResponse, MAGIC1)
  const final = sha1(digest, challengeHash(peerChallenge, authChallenge, userName), MAGIC2)
  return `S=${final.toString('hex').toUpperCase()}`
}

/** MPPE 128-bit keys for the server side (RFC 3079 §3.4; FreeRADIUS `mppe_chap2_gen_keys128`). */
export function mppeKeys(passwordHash: Buffer, ntResponse: Buffer): { masterKey: Buffer; sendKey: Buffer; recvKey: Buffer } {
  const hashHash = Buffer.from(md4.arrayBuffer(passwordHash))
  const masterKey = sha1(hashHash, ntResponse, MASTER_MAGIC).subarray(0, 16)
  const startKey = (magic: Buffer): Buffer => sha1(masterKey, SHS_PAD1, magic, SHS_PAD2).subarray(0, 16)
  return { masterKey, sendKey: startKey(SEND_MAGIC_SERVER), recvKey: startKey(RECV_MAGIC_SERVER) }
}

/** Outcome of checking an MS-CHAP2-Response (RFC 2548 §2.3.2: Ident, Flags, Peer-Challenge, Reserved, NT-Response). */
export type MsChapV2Result =
  | { readonly ok: true; readonly ident: number; readonly success: Buffer; readonly sendKey: Buffer; readonly recvKey: Buffer }
  | { readonly ok: false; readonly ident: number; readonly error: Buffer }

/**
 * Verifies MS-CHAP2-Response against MS-CHAP-Challenge and the user's NT hash. On success returns the
 * MS-CHAP2-Success value (ident ‖ "S=…") and MPPE keys; `passwordHash` is the NT hash ({@link ntPasswordHash} of
 * the cleartext, or a stored NT-Password); on failure an MS-CHAP-Error value in FreeRADIUS's form
 * `E=691 R=1 C=<challenge hex> V=3 M=Authentication rejected` (observed addendum 5).
 */
export function verifyMsChapV2(response: Buffer, authChallenge: Buffer, userName: string, passwordHash: Buffer): MsChapV2Result {
  const ident = response[0] ?? 0
  const fail = (): MsChapV2Result => ({
    ok: false, ident,
    error: Buffer.concat([Buffer.from([ident]),
      Buffer.from(`E=691 R=1 C=${authChallenge.toString('hex').toUpperCase()} V=3 M=Authentication rejected`, 'ascii')]),
  })
  if (response.length !== 50 || authChallenge.length !== 16) return fail()
  const peerChallenge = response.subarray(2, 18)
  const ntResponse = response.subarray(26, 50)
  const hash = passwordHash
  const expected = generateNtResponse(authChallenge, peerChallenge, userName, hash)
  if (!timingSafeEqual(expected, ntResponse)) return fail()
  const keys = mppeKeys(hash, ntResponse)
  const success = Buffer.concat([Buffer.from([ident]),
    Buffer.from(authenticatorResponse(hash, ntResponse, peerChallenge, authChallenge, userName), 'ascii')])
  return { ok: true, ident, success, sendKey: keys.sendKey, recvKey: keys.recvKey }
}
