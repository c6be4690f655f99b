/**
 * Counts every CoA/Disconnect outcome the API sends, per NAS, for router health's CoA success rate. Wraps the
 * SessionControl the app is given; counting never fails an action (a failed count is logged and dropped).
 */
import type { Kysely } from 'kysely'
import { recordCoaOutcomeAcrossTenants, type Database, type Logger } from '@mnetifi/db'
import type { SessionControl } from '../lib/session-control.js'

/** `control`, counting each answer into nas_coa_stats. */
export function withCoaStats(control: SessionControl, db: Kysely<Database>, log?: Logger): SessionControl {
  const count = async (nasIp: string, kind: 'ack' | 'nak' | 'timeout') => {
    await recordCoaOutcomeAcrossTenants(db, nasIp, kind).catch((err: unknown) => log?.warn({ err, nasIp }, 'CoA outcome not counted'))
  }
  return {
    async disconnect(target, attributes) {
      const outcome = await control.disconnect(target, attributes)
      await count(target.nasIp, outcome.kind)
      return outcome
    },
    async changeAuthorization(target, attributes) {
      const outcome = await control.changeAuthorization(target, attributes)
      await count(target.nasIp, outcome.kind)
      return outcome
    },
  }
}
