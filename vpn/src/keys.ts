/**
 * WireGuard keys with node:crypto X25519 (no extra package): standard base64, 32 raw bytes, as `wg genkey`,
 * `wg pubkey` and `wg genpsk` print them. Protocol digest §6.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto'

/** DER prefixes around the 32 raw key bytes (PKCS#8 private, SPKI public) for X25519. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex')
const SPKI_PREFIX_LENGTH = 12

export interface WireguardKeyPair {
  readonly privateKey: string
  readonly publicKey: string
}

/** Thrown when a string is not a 32-byte base64 WireGuard key. */
export class InvalidWireguardKeyError extends Error {
  constructor(what: string) {
    super(`${what} is not a WireGuard key (44 characters of base64 encoding 32 bytes)`)
    this.name = 'InvalidWireguardKeyError'
  }
}

function decodeKey(key: string, what: string): Buffer {
  const raw = Buffer.from(key, 'base64')
  if (raw.length !== 32 || raw.toString('base64') !== key) throw new InvalidWireguardKeyError(what)
  return raw
}

/** The public key of a WireGuard private key (`wg pubkey`). */
export function derivePublicKey(privateKey: string): string {
  const raw = decodeKey(privateKey, 'private key')
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' })
  return createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX_LENGTH).toString('base64')
}

/** A new key pair (`wg genkey | tee priv | wg pubkey`); Node's generated X25519 keys are already clamped. */
export function generateKeyPair(): WireguardKeyPair {
  const { privateKey } = generateKeyPairSync('x25519')
  const raw = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length)
  const b64 = raw.toString('base64')
  return { privateKey: b64, publicKey: derivePublicKey(b64) }
}

/** A preshared key (`wg genpsk`): 32 random bytes. */
export function generatePresharedKey(): string {
  return randomBytes(32).toString('base64')
}

/** Whether `key` is a well-formed WireGuard key. */
export function isWireguardKey(key: string): boolean {
  try {
    decodeKey(key, 'key')
    return true
  } catch {
    return false
  }
}
