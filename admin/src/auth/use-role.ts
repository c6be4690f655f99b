/** The signed-in admin's permissions for the page being drawn (the shell guarantees someone is signed in). */
import { allows } from '../nav.js'
import { useMe } from './session.js'

export function usePermissions() {
  const role = useMe().data?.role
  return { role, isOwner: allows(role, 'owner'), isPlatform: allows(role, 'platform') }
}
