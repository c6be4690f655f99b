/**
 * A throwaway self-signed certificate for the emulator's API-SSL, made with the `openssl` CLI (as an admin makes
 * one for `/ip service set api-ssl certificate=…`). Valid for 127.0.0.1 and "router.test", one day.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** PEM key and certificate. */
export interface TestCertificate {
  readonly key: string
  readonly cert: string
}

/** Generates a P-256 key and a self-signed certificate for 127.0.0.1. */
export function createSelfSignedCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'mnetifi-routeros-cert-'))
  try {
    const key = join(dir, 'key.pem')
    const cert = join(dir, 'cert.pem')
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
      '-days', '1', '-subj', '/CN=router.test', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:router.test',
    ], { stdio: 'pipe' })
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
