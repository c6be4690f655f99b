/**
 * Admin password hashing: argon2id (OWASP parameters: 19 MiB, 2 iterations, 1 lane — the library defaults).
 * The one place passwords are hashed, for the API's login and the CLI's seed/admin commands.
 */
import { hash, verify } from '@node-rs/argon2'

/** An argon2id PHC string for `password`. */
export async function hashPassword(password: string): Promise<string> {
  return hash(password)
}

/** Whether `password` matches `passwordHash`; false (never a throw) for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}
