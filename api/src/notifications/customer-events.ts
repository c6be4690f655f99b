/**
 * Events outside payments that the customer hears of, written in the transaction of the change: a voucher
 * redeemed (once per voucher) and a support ticket closed or reopened (once per ticket event). A customer without
 * a phone (a code-named voucher account) is simply not reachable: nothing is written.
 */
import { findTenantById, type Executor, type NotificationLanguage, type PlanRow, type TicketRow, type VoucherRow, type WifiUserRow } from '@mnetifi/db'
import { formatDateTime } from './format.js'
import { notify } from './notify.js'

/** Writes "voucher redeemed" for the account the voucher credited. */
export async function notifyVoucherRedeemed(db: Executor, r: { voucher: VoucherRow; user: WifiUserRow; plan: PlanRow }, now: Date): Promise<void> {
  const tenant = await findTenantById(db, r.voucher.tenant_id)
  await notify(db, {
    tenantId: r.voucher.tenant_id, type: 'voucher.redeemed', key: `voucher-redeemed:${r.voucher.id}`, userId: r.user.id,
    to: { phone: r.user.phone_number },
    vars: { code: r.voucher.code, plan: r.plan.name, expires: r.user.expiry_time ? formatDateTime(r.user.expiry_time, tenant?.timezone ?? 'Africa/Nairobi') : '' },
    data: { voucherId: r.voucher.id },
  }, { now })
}

const TICKET_STATUS: Readonly<Record<'closed' | 'reopened', Readonly<Record<NotificationLanguage, string>>>> = Object.freeze({
  closed: { en: 'closed', sw: 'imefungwa' },
  reopened: { en: 'open again', sw: 'iko wazi tena' },
})

/** Writes "ticket updated" to the ticket's customer for one of its history events. */
export async function notifyTicketUpdated(db: Executor, ticket: TicketRow, change: { eventId: number; what: 'closed' | 'reopened' }, now: Date): Promise<void> {
  if (!ticket.user_id) return
  const user = await db.selectFrom('wifi_users').select(['phone_number']).where('tenant_id', '=', ticket.tenant_id).where('id', '=', ticket.user_id).executeTakeFirst()
  await notify(db, {
    tenantId: ticket.tenant_id, type: 'ticket.updated', key: `ticket-updated:${ticket.id}:${change.eventId}`, userId: ticket.user_id,
    to: { phone: user?.phone_number ?? null },
    vars: (language) => ({ ticket: ticket.subject || ticket.issue_details.slice(0, 40), status: TICKET_STATUS[change.what][language] }),
    data: { ticketId: ticket.id },
  }, { now })
}
