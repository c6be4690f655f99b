/**
 * /api/notifications — the admin side of customer communication: messages with their delivery status and costs
 * (messages.routes.ts), the tenant's settings, templates and customers' preferences (settings.routes.ts). Reading
 * is support staff's; changing settings and templates, and sending a failed message again, is the owner's. Every
 * query runs in the request's tenant scope (row-level security).
 */
import type { FastifyPluginAsync } from 'fastify'
import { messageRoutes } from './messages.routes.js'
import { settingsRoutes } from './settings.routes.js'

/** Options: where the hooks are reachable (for the URLs the settings show). */
export interface NotificationRoutesOptions { readonly publicBaseUrl: string }

/** Registers the admin notification routes (mount at `/api/notifications`). */
export const notificationRoutes: FastifyPluginAsync<NotificationRoutesOptions> = async (app, opts) => {
  await app.register(messageRoutes)
  await app.register(settingsRoutes, { publicBaseUrl: opts.publicBaseUrl })
}
