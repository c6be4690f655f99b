/**
 * Which account the captive portal touches — the rule.
 *
 * A phone number holds at most one account of each type (HOTSPOT, PPPOE, STATIC) in a tenant (unique key
 * wifi_users_tenant_phone_type_key). Everything that starts at the captive portal — an STK purchase, a receipt
 * claim or Transaction Status check, recovery by phone, a voucher redeemed with a phone — is for the device in
 * front of it, so it credits only the phone's HOTSPOT account, created on first use
 * ({@link getOrCreateHotspotUserByPhone}), and a portal answer only ever carries that account's login
 * ({@link deviceLoginOf}). A PPPoE or static-IP customer who buys an hour at a hotspot therefore gets a hotspot
 * login of their own: the hour is not added to their home line (whose plan would not even serve it), and the
 * home line's username and password never reach a browser that merely typed the phone number.
 *
 * Home lines are paid as before: by paybill with their account number (their username, or their phone when the
 * amount picks that account: payments/c2b.service.ts), by an admin resolving a payment, or by a voucher an admin
 * redeems ({@link chooseAccountForPlan}).
 */
import { randomInt } from 'node:crypto'
import type { Transaction } from 'kysely'
import type { Database, PlanRow, WifiUserRow } from '@mnetifi/db'

const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

/** A short password a customer can type on a phone (no 0/o/1/l/i). */
export function generateHotspotPassword(length = 8): string {
  let out = ''
  for (let i = 0; i < length; i++) out += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]
  return out
}

/**
 * Usernames a new HOTSPOT account for `phone` may take, in order: the phone itself, unless another account
 * already has it as username (an admin-created PPPoE line defaults its username to the phone), then `<phone>-wifi`.
 */
function hotspotUsernames(phone: string): string[] {
  return [phone, `${phone}-wifi`, `${phone}-wifi-${generateHotspotPassword(4)}`]
}

/**
 * The phone's HOTSPOT account, created when it has none (username = the phone, or `<phone>-wifi` when that
 * username is taken), and locked. Never another account type: see the rule above. Two
 * concurrent creations for the same phone meet on the (tenant_id, phone_number, account_type) unique key.
 */
export async function getOrCreateHotspotUserByPhone(
  trx: Transaction<Database>, tenantId: string, phone: string, homeHotspotId: string | null,
): Promise<WifiUserRow> {
  for (const username of hotspotUsernames(phone)) {
    // No conflict target: a taken username is skipped like an existing account, and the look-up below tells them apart.
    await trx.insertInto('wifi_users').values({
      tenant_id: tenantId, phone_number: phone, account_type: 'HOTSPOT', username, password: generateHotspotPassword(),
      home_hotspot_id: homeHotspotId,
    }).onConflict((oc) => oc.doNothing()).execute()
    const user = await trx.selectFrom('wifi_users').selectAll().where('tenant_id', '=', tenantId).where('phone_number', '=', phone)
      .where('account_type', '=', 'HOTSPOT').forUpdate().executeTakeFirst()
    if (user) return user
  }
  throw new Error(`no free username for a hotspot account of ${phone} in tenant ${tenantId}`)
}

/**
 * Of a phone's accounts, the one a plan goes to when only the phone is known (an admin crediting a payment or
 * redeeming a voucher for a phone): one whose type the plan serves, the HOTSPOT account first. Undefined when
 * none is served (the caller may then create the HOTSPOT account, if the plan serves hotspots).
 */
export function chooseAccountForPlan(accounts: readonly WifiUserRow[], plan: Pick<PlanRow, 'account_types'>): WifiUserRow | undefined {
  const served = accounts.filter((u) => plan.account_types.includes(u.account_type))
  return served.find((u) => u.account_type === 'HOTSPOT') ?? served[0]
}

/**
 * The login the captive portal may show for `user`: only a HOTSPOT account's, the one the device itself signs
 * in with. A PPPoE or static line's credentials are never answered to a browser, whatever credited it.
 */
export function deviceLoginOf(user: Pick<WifiUserRow, 'account_type' | 'username' | 'password'> | undefined): { username: string; password: string } | null {
  return user?.account_type === 'HOTSPOT' ? { username: user.username, password: user.password } : null
}
