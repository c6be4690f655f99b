import { describe, expect, it } from 'vitest'
import { createSecretBox, generateSecretKey, SecretBoxError } from './secret-box.js'

const k1 = generateSecretKey('k1')
const k2 = generateSecretKey('k2')

describe('secret box', () => {
  it('round-trips a secret and never stores the plaintext', () => {
    const box = createSecretBox(k1)
    const sealed = box.encrypt('consumer-secret-ü', 'tenants.mpesa_credentials:t1')
    expect(sealed.startsWith('v1.k1.')).toBe(true)
    expect(sealed).not.toContain('consumer-secret')
    expect(box.decrypt(sealed, 'tenants.mpesa_credentials:t1')).toBe('consumer-secret-ü')
  })

  it('uses a fresh IV every time', () => {
    const box = createSecretBox(k1)
    expect(box.encrypt('x')).not.toBe(box.encrypt('x'))
  })

  it('refuses a wrong key with a clear error instead of garbage', () => {
    const sealed = createSecretBox(k1).encrypt('pw')
    const other = createSecretBox(`k1:${k2.slice(3)}`)
    expect(() => other.decrypt(sealed)).toThrowError(/did not authenticate with key "k1"/)
  })

  it('names a key that is not configured', () => {
    const sealed = createSecretBox(k2).encrypt('pw')
    expect(() => createSecretBox(k1).decrypt(sealed)).toThrowError(/encrypted with key "k2", which MNETIFI_SECRET_KEY does not hold/)
  })

  it('binds the context: a value moved to another row does not open', () => {
    const box = createSecretBox(k1)
    const sealed = box.encrypt('pw', 'hotspots.router_api_pass:a')
    expect(() => box.decrypt(sealed, 'hotspots.router_api_pass:b')).toThrowError(SecretBoxError)
  })

  it('detects tampering', () => {
    const box = createSecretBox(k1)
    const parts = box.encrypt('secret value').split('.')
    const data = Buffer.from(parts[4]!, 'base64url')
    data[0] = data[0]! ^ 1
    parts[4] = data.toString('base64url')
    expect(() => box.decrypt(parts.join('.'))).toThrowError(/tampered/)
  })

  it('rotates: old values still open with the new keyring and re-seal under the new key', () => {
    const old = createSecretBox(k1)
    const sealed = old.encrypt('pw', 'ctx')
    const rotated = createSecretBox(`${k2},${k1}`)
    expect(rotated.decrypt(sealed, 'ctx')).toBe('pw')
    const resealed = rotated.rotate(sealed, 'ctx')
    expect(rotated.keyIdOf(resealed)).toBe('k2')
    expect(rotated.decrypt(resealed, 'ctx')).toBe('pw')
    expect(rotated.rotate(resealed, 'ctx')).toBe(resealed)
    expect(() => old.decrypt(resealed, 'ctx')).toThrowError(/key "k2"/)
  })

  it.each([
    ['', /holds no key/],
    ['nocolon', /entry 1 must look like "kid:base64key"/],
    ['k1:c2hvcnQ=', /must be 32 bytes/],
    [`${k1},${k1}`, /names key "k1" twice/],
  ])('rejects the keyring %j', (keyring, message) => {
    expect(() => createSecretBox(keyring)).toThrowError(message)
  })

  it('rejects a value that is not an envelope', () => {
    expect(() => createSecretBox(k1).decrypt('plain')).toThrowError(/not a MnetiFi encrypted secret/)
  })
})
