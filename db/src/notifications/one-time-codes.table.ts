import type { Generated, Insertable, Selectable } from 'kysely'

/** A portal login code (migration 2026_12_03_300100): only its HMAC is stored. */
export interface OneTimeCodesTable {
  id: Generated<string>
  tenant_id: string
  /** 2547… */
  phone: string
  purpose: Generated<'portal-login'>
  code_hash: string
  attempts: Generated<number>
  max_attempts: number
  request_ip: string | null
  expires_at: Date
  consumed_at: Date | null
  created_at: Generated<Date>
}
export type OneTimeCodeRow = Selectable<OneTimeCodesTable>
export type NewOneTimeCode = Insertable<OneTimeCodesTable>
