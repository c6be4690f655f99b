/**
 * The dashboard's API client: the generated, typed client plus the tenant a platform operator is acting in
 * (sent as X-Tenant-Id, which the API honours only for operators).
 */
import { createApiClient } from '@mnetifi/ui/api'

const TENANT_KEY = 'mnetifi.admin.tenant'

export const api = createApiClient()

let actingTenant: string | null = readStoredTenant()

function readStoredTenant(): string | null {
  try {
    return localStorage.getItem(TENANT_KEY)
  } catch {
    return null
  }
}

/** The tenant an operator acts in (null: platform pages only). */
export function getActingTenant(): string | null {
  return actingTenant
}

/** Switches the tenant an operator acts in; remembered across reloads. */
export function setActingTenant(id: string | null): void {
  actingTenant = id
  try {
    if (id) localStorage.setItem(TENANT_KEY, id)
    else localStorage.removeItem(TENANT_KEY)
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

api.use({
  onRequest({ request }) {
    if (actingTenant) request.headers.set('x-tenant-id', actingTenant)
    return request
  },
})
