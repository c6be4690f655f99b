/**
 * Rules every route of the admin API keeps, checked over the whole OpenAPI document rather than route by
 * route, so a route added later is held to them too: a response schema per status it can answer, a role
 * (401 without a session, before any input is looked at), and errors without stack traces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, createSignedInTenant, type TestContext } from '../helper.js'

interface Operation { method: string; path: string; security?: unknown[]; responses: Record<string, unknown> }

let ctx: TestContext
let ops: Operation[]
beforeAll(async () => {
  ctx = await buildTestApp('api_contract')
  const doc = (await ctx.app.inject({ method: 'GET', url: '/api/docs/json' })).json() as { paths: Record<string, Record<string, Operation>> }
  ops = Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })))
})
afterAll(async () => { await ctx.close() })

/** Public operations: no session by design. Daraja hooks answer Safaricom's own format (payments' contract). */
const isPublic = (op: Operation) => op.path.startsWith('/hooks/') || op.path.startsWith('/api/portal/') || (op.security !== undefined && op.security.length === 0)
/** A concrete URL for a templated path: any well-formed id, so validation cannot be what answers. */
const urlOf = (path: string) => path.replace(/\{[^}]+\}\??/g, '00000000-0000-4000-8000-000000000000')

describe('every admin route', () => {
  it('is in the OpenAPI document (at least the ~60 issue-5 routes)', () => {
    expect(ops.filter((op) => !isPublic(op)).length).toBeGreaterThanOrEqual(60)
  })

  it('declares a success status and a response schema for 400, 401, 403, 404, 409 and 500', () => {
    const missing = ops.filter((op) => !isPublic(op)).flatMap((op) => {
      const statuses = Object.keys(op.responses)
      const gaps = ['400', '401', '403', '404', '409', '500'].filter((s) => !statuses.includes(s))
      if (!statuses.some((s) => /^2\d\d$/.test(s))) gaps.push('2xx')
      return gaps.length ? [`${op.method} ${op.path}: ${gaps.join(', ')}`] : []
    })
    expect(missing).toEqual([])
  })

  it('answers 401 UNAUTHENTICATED without a session, even to a malformed body (the role check runs before validation)', async () => {
    const wrong: string[] = []
    for (const op of ops.filter((o) => !isPublic(o))) {
      const res = await ctx.app.inject({ method: op.method as 'GET', url: urlOf(op.path), payload: op.method === 'GET' || op.method === 'DELETE' ? undefined : { nonsense: true } })
      if (res.statusCode !== 401 || res.json().error !== 'UNAUTHENTICATED') wrong.push(`${op.method} ${op.path} → ${res.statusCode}`)
    }
    expect(wrong).toEqual([])
  })

  it('answers 403 to a staff member on owner routes before validating the input', async () => {
    const t = await createSignedInTenant(ctx)
    const res = await ctx.app.inject({ method: 'POST', url: '/api/hotspots', headers: { cookie: t.staff }, payload: { nonsense: true } })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toEqual({ error: 'FORBIDDEN', message: 'Your role may not do this' })
    // Signed in with the right role, the same body is a 400 with field paths.
    const bad = await ctx.app.inject({ method: 'POST', url: '/api/hotspots', headers: { cookie: t.owner }, payload: { nonsense: true } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().details.length).toBeGreaterThan(0)
  })

  it('the public auth and portal routes say so in the document (security: [])', () => {
    const login = ops.find((op) => op.path === '/api/auth/login')!
    expect(login.security).toEqual([])
  })
})
