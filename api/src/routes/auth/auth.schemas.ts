import { z } from 'zod'
import { ADMIN_ROLES } from '@mnetifi/db/domain'
import type { AuthenticatedAdmin } from '../../plugins/auth.js'

export const LoginBodySchema = z.object({
  email: z.email().max(254),
  password: z.string().min(1).max(1024),
})
export type LoginBody = z.infer<typeof LoginBodySchema>

export const PasswordChangeBodySchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  /** 10+ characters: long passphrases beat composition rules (NIST SP 800-63B §5.1.1). */
  newPassword: z.string().min(10, 'must be at least 10 characters').max(1024),
})
export type PasswordChangeBody = z.infer<typeof PasswordChangeBodySchema>

export const AdminSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  fullName: z.string(),
  role: z.enum(ADMIN_ROLES),
  tenantId: z.uuid().nullable(),
})
export type Admin = z.infer<typeof AdminSchema>

export const SessionResponseSchema = z.object({ admin: AdminSchema })

/** The admin as the API shows it (no session id). */
export function toAdmin(admin: Omit<AuthenticatedAdmin, 'sessionId'>): Admin {
  return { id: admin.id, email: admin.email, fullName: admin.fullName, role: admin.role, tenantId: admin.tenantId }
}
