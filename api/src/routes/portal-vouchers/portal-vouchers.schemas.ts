/** Schemas of the public voucher redemption on the captive portal. */
import { z } from 'zod'

export const PortalVoucherParamsSchema = z.object({ subdomain: z.string().min(1).max(63) })

/** A MAC as the MikroTik login page gives it ($(mac): `AA:BB:CC:DD:EE:FF`), or with dashes/no separators → `aa:bb:cc:dd:ee:ff`. */
export const MacAddressSchema = z.string().max(32)
  .regex(/^[0-9a-f]{2}([:-]?[0-9a-f]{2}){5}$/i, 'expected a MAC address like AA:BB:CC:DD:EE:FF')
  .transform((mac) => mac.toLowerCase().replace(/[^0-9a-f]/g, '').match(/../g)!.join(':'))

export const PortalRedeemBodySchema = z.object({
  code: z.string().min(1).max(40).describe('the voucher code as printed, e.g. K7HM-3WXA-9RTC (case, spaces and dashes ignored)'),
  phone: z.string().min(9).max(20).optional().describe('credit this phone\'s account (created if new); without it the code is the login'),
  mac: MacAddressSchema.optional().describe('the device MAC from the MikroTik login page: it may then sign in by MAC until expiry'),
}).strict()
export type PortalRedeemBody = z.infer<typeof PortalRedeemBodySchema>

/**
 * What the portal submits to the router's login page (`$(link-login-only)`), and until when it works. `password`
 * is null when the voucher credited an account that already existed: the customer signs in with their own.
 */
export const PortalLoginSchema = z.object({
  username: z.string(),
  password: z.string().nullable(),
  expiresAt: z.iso.datetime({ offset: true }),
  message: z.string(),
})
export type PortalLogin = z.infer<typeof PortalLoginSchema>
