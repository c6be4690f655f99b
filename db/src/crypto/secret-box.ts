/**
 * Secrets at rest: AES-256-GCM with a key id stored beside each value, so keys can be rotated.
 *
 * Envelope (text, fits a `text` column): `v1.<kid>.<iv>.<tag>.<ciphertext>`, base64url parts.
 * The optional `context` is bound as additional authenticated data (e.g. `hotspots.router_api_pass:<id>`),
 * so a ciphertext copied into another row or column does not decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

const VERSION = 'v1'
const IV_BYTES = 12
const KEY_BYTES = 32

/** Why a secret could not be opened or a keyring not built. */
export class SecretBoxError extends Error {
  constructor(
    message: string,
    readonly code: 'INVALID_KEYRING' | 'UNKNOWN_KEY' | 'WRONG_KEY_OR_TAMPERED' | 'MALFORMED',
  ) {
    super(message)
    this.name = 'SecretBoxError'
  }
}

/** Encrypts with the first key; decrypts with whichever key the envelope names. */
export interface SecretBox {
  /** Id of the key new values are encrypted with. */
  readonly currentKeyId: string
  encrypt(plaintext: string, context?: string): string
  decrypt(envelope: string, context?: string): string
  /** Id of the key an envelope was sealed with (without decrypting). */
  keyIdOf(envelope: string): string
  /** Re-seals with the current key when another key was used; returns the envelope unchanged otherwise. */
  rotate(envelope: string, context?: string): string
}

/**
 * Builds a SecretBox from `MNETIFI_SECRET_KEY`: `kid:base64key[,kid:base64key…]`, first key current.
 * @throws SecretBoxError INVALID_KEYRING naming the bad entry.
 */
export function createSecretBox(keyring: string): SecretBox {
  const keys = new Map<string, Buffer>()
  let currentKeyId: string | undefined
  for (const [index, entry] of keyring.split(',').map((s) => s.trim()).filter(Boolean).entries()) {
    const match = /^([A-Za-z0-9_-]{1,32}):(.+)$/.exec(entry)
    if (!match) {
      throw new SecretBoxError(`MNETIFI_SECRET_KEY entry ${index + 1} must look like "kid:base64key"`, 'INVALID_KEYRING')
    }
    const [, kid, encoded] = match as unknown as [string, string, string]
    const key = Buffer.from(encoded, 'base64')
    if (key.length !== KEY_BYTES) {
      throw new SecretBoxError(
        `MNETIFI_SECRET_KEY key "${kid}" must be ${KEY_BYTES} bytes of base64 (got ${key.length} bytes)`,
        'INVALID_KEYRING',
      )
    }
    if (keys.has(kid)) throw new SecretBoxError(`MNETIFI_SECRET_KEY names key "${kid}" twice`, 'INVALID_KEYRING')
    keys.set(kid, key)
    currentKeyId ??= kid
  }
  if (!currentKeyId) throw new SecretBoxError('MNETIFI_SECRET_KEY holds no key', 'INVALID_KEYRING')
  const current = currentKeyId

  function parse(envelope: string): { kid: string; iv: Buffer; tag: Buffer; data: Buffer } {
    const parts = envelope.split('.')
    if (parts.length !== 5 || parts[0] !== VERSION) {
      throw new SecretBoxError('value is not a MnetiFi encrypted secret (expected v1.<kid>.<iv>.<tag>.<data>)', 'MALFORMED')
    }
    const [, kid, iv, tag, data] = parts as [string, string, string, string, string]
    return { kid, iv: Buffer.from(iv, 'base64url'), tag: Buffer.from(tag, 'base64url'), data: Buffer.from(data, 'base64url') }
  }

  const box: SecretBox = {
    currentKeyId: current,
    encrypt(plaintext, context = '') {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', keys.get(current)!, iv)
      cipher.setAAD(Buffer.from(context, 'utf8'))
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      const tag = cipher.getAuthTag()
      return [VERSION, current, iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join('.')
    },
    decrypt(envelope, context = '') {
      const { kid, iv, tag, data } = parse(envelope)
      const key = keys.get(kid)
      if (!key) {
        throw new SecretBoxError(`secret was encrypted with key "${kid}", which MNETIFI_SECRET_KEY does not hold`, 'UNKNOWN_KEY')
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv)
        decipher.setAAD(Buffer.from(context, 'utf8'))
        decipher.setAuthTag(tag)
        return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8')
      } catch {
        throw new SecretBoxError(
          `secret did not authenticate with key "${kid}": wrong key, wrong context or tampered value`,
          'WRONG_KEY_OR_TAMPERED',
        )
      }
    },
    keyIdOf(envelope) {
      return parse(envelope).kid
    },
    rotate(envelope, context) {
      return box.keyIdOf(envelope) === current ? envelope : box.encrypt(box.decrypt(envelope, context), context)
    },
  }
  return Object.freeze(box)
}

/** A fresh key entry for MNETIFI_SECRET_KEY (`kid:base64`). */
export function generateSecretKey(kid: string): string {
  return `${kid}:${randomBytes(KEY_BYTES).toString('base64')}`
}
