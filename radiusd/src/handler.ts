/**
 * Dispatch by packet code: Access-Request → policy pipeline, Accounting-Request → SQL writer (reply only after
 * COMMIT), Status-Server → RFC 5997 answer. Every auth result is queued for radpostauth.
 */
import type { Logger } from 'pino'
import { buildAcctRecord, classText } from './accounting/record.js'
import type { RadiusMetrics } from './metrics.js'
import { runAccessPolicy } from './policy/pipeline.js'
import type { AccessContext } from './policy/types.js'
import type { PostAuthWriter } from './postauth.js'
import { PacketCode, type AttributeList, type AttributeMap, type AttributeValue } from './protocol/codec.js'
import type { RadiusHandler, RadiusReply, RadiusRequest } from './server.js'
import type { HotPath } from './store/hot-path.js'

export interface HandlerDeps {
  readonly hotPath: HotPath
  readonly postAuth: PostAuthWriter
  readonly metrics: RadiusMetrics
  readonly log: Logger
  /** Hold every Access-Reject back this long (FreeRADIUS `reject_delay`, a brute-force brake), ms. */
  readonly rejectDelayMs: number
  /** Interim interval for stale-session detection when plan and hotspot set none, seconds. @defaultValue 300 */
  readonly defaultInterimS?: number
}

/** The request identity for a log line, built only for a line that is written (an accept logs at debug). */
function identityOf(req: RadiusRequest, user: string) {
  return { nasIp: req.source.address, id: req.packet.identifier, user, tenantId: req.client.tenantId }
}

function textOf(attributes: AttributeMap, name: 'Called-Station-Id' | 'Calling-Station-Id'): string | null {
  const v = attributes.get(name)?.[0]
  return v === undefined ? null : String(v)
}

function classOf(reply: AttributeList): AttributeValue | undefined {
  for (let k = 0; k < reply.length; k++) if (reply[k]![0] === 'Class') return reply[k]![1]
  return undefined
}

export function createRequestHandler(deps: HandlerDeps): RadiusHandler {
  const { hotPath, postAuth, metrics, log } = deps
  // The level is fixed at start-up (LOG_LEVEL): skip building debug lines' objects on the hot path.
  const debugEnabled = log.isLevelEnabled('debug')

  async function access(req: RadiusRequest): Promise<RadiusReply> {
    const ctx: AccessContext = { packet: req.packet, attributes: req.packet.attributes, client: req.client, hotPath,
      defaultInterimS: deps.defaultInterimS ?? 300, reply: [], rejectExtras: [], timeZone: req.client.timeZone }
    const decision = await runAccessPolicy(ctx)
    const attributes = req.packet.attributes
    const userName = String(attributes.get('User-Name')?.[0] ?? '')
    if (decision.kind === 'fail') {
      metrics.requests.inc({ type: 'access', result: 'no-reply' })
      metrics.dbErrors.inc({ operation: 'authorize' })
      log.error({ ...identityOf(req, userName), err: decision.error, reason: decision.reason }, 'access request failed; not answering so the NAS retries')
      return null
    }
    const accepted = decision.kind === 'accept'
    postAuth.record({
      username: ctx.subjectName ?? userName,
      reply: accepted ? 'Access-Accept' : 'Access-Reject',
      calledStationId: textOf(attributes, 'Called-Station-Id'),
      callingStationId: textOf(attributes, 'Calling-Station-Id'),
      class: accepted ? classText(classOf(decision.attributes)) : null,
      tenantId: req.client.tenantId,
    })
    metrics.requests.inc({ type: 'access', result: decision.kind })
    if (accepted) {
      if (debugEnabled) log.debug({ ...identityOf(req, userName), subject: ctx.subject }, 'access accepted')
      return { code: PacketCode.AccessAccept, attributes: decision.attributes }
    }
    const claimId = ctx.data?.claimId
    if (claimId != null) {
      hotPath.releaseClaim(claimId).catch((err: unknown) => log.warn({ err, claimId }, 'releasing a session claim failed; it expires on its own'))
    }
    log.info({ ...identityOf(req, userName), reason: decision.reason, stage: decision.stage }, 'access rejected')
    return { code: PacketCode.AccessReject, attributes: decision.attributes, delayMs: deps.rejectDelayMs }
  }

  async function accounting(req: RadiusRequest): Promise<RadiusReply> {
    const record = buildAcctRecord(req.packet.attributes, { tenantId: req.client.tenantId, sourceIp: req.source.address,
      receivedAt: req.receivedAt })
    try {
      const step = record.status === 'ignored' ? 'ignored' : await hotPath.account(record)
      metrics.requests.inc({ type: 'accounting', result: record.status })
      if (debugEnabled) log.debug({ nasIp: req.source.address, session: record.acctsessionid, step }, 'accounting recorded')
      return { code: PacketCode.AccountingResponse, attributes: [] }
    } catch (err) {
      // RFC 2866 §2: never acknowledge what was not recorded; the NAS retransmits.
      metrics.requests.inc({ type: 'accounting', result: 'no-reply' })
      metrics.dbErrors.inc({ operation: 'accounting' })
      log.error({ err, nasIp: req.source.address, session: record.acctsessionid }, 'accounting write failed; not acknowledging')
      return null
    }
  }

  return async (req) => {
    switch (req.packet.code) {
      case PacketCode.AccessRequest:
        return access(req)
      case PacketCode.AccountingRequest:
        return accounting(req)
      case PacketCode.StatusServer:
        // RFC 5997 §3: Access-Accept on the auth port, Accounting-Response on the accounting port.
        return { code: req.kind === 'auth' ? PacketCode.AccessAccept : PacketCode.AccountingResponse, attributes: [] }
      default:
        return null
    }
  }
}
