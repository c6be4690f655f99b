import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestContext } from './helper.js'

let built: TestContext
let unbuilt: TestContext
const root = mkdtempSync(join(tmpdir(), 'mnetifi-web-'))

/** A minimal build output: index.html and one hashed asset with its gzip copy. */
function fakeBuild(name: string): string {
  const dir = join(root, name)
  mkdirSync(join(dir, 'assets'), { recursive: true })
  writeFileSync(join(dir, 'index.html'), `<!doctype html><title>${name}</title>`)
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), `console.log('${name}')`)
  writeFileSync(join(dir, 'assets', 'index-abc123.js.gz'), gzipSync(`console.log('${name}')`))
  return dir
}

beforeAll(async () => {
  built = await buildTestApp('api_web_apps', { config: { WEB_PORTAL_DIR: fakeBuild('portal'), WEB_ADMIN_DIR: fakeBuild('admin') } })
  unbuilt = await buildTestApp('api_web_apps_unbuilt', { config: { WEB_PORTAL_DIR: join(root, 'none-p'), WEB_ADMIN_DIR: join(root, 'none-a') } })
})
afterAll(async () => {
  await built.close()
  await unbuilt.close()
  rmSync(root, { recursive: true, force: true })
})

const get = (ctx: TestContext, url: string, headers: Record<string, string> = {}) => ctx.app.inject({ method: 'GET', url, headers })

describe('the built apps', () => {
  it('opens the dashboard at / and adds the trailing slash to /admin', async () => {
    const home = await get(built, '/')
    expect(home.statusCode).toBe(302)
    expect(home.headers.location).toBe('/admin/')
    const bare = await get(built, '/admin')
    expect(bare.statusCode).toBe(301)
    expect(bare.headers.location).toBe('/admin/')
  })

  it('answers every dashboard path with its index.html, never cached, so the app router draws the page', async () => {
    for (const url of ['/admin/', '/admin/users/5b0c2c43-3a55-4b8d-9a55-1a2b3c4d5e6f', '/admin/reports?tab=usage']) {
      const res = await get(built, url)
      expect(res.statusCode).toBe(200)
      expect(res.body).toBe('<!doctype html><title>admin</title>')
      expect(res.headers['cache-control']).toBe('no-cache')
    }
  })

  it('serves hashed assets for a year, pre-compressed when accepted, and 404s a missing one', async () => {
    const js = await get(built, '/admin/assets/index-abc123.js', { 'accept-encoding': 'gzip' })
    expect(js.statusCode).toBe(200)
    expect(js.headers['content-encoding']).toBe('gzip')
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect((await get(built, '/admin/assets/missing.js')).statusCode).toBe(404)
    const portalJs = await get(built, '/portal/assets/index-abc123.js')
    expect(portalJs.body).toBe("console.log('portal')")
  })

  it('keeps the portal at /portal/<subdomain>/', async () => {
    expect((await get(built, '/portal/demo/')).body).toBe('<!doctype html><title>portal</title>')
    expect((await get(built, '/portal/demo')).headers.location).toBe('/portal/demo/')
  })

  it('says how to build an app that is missing', async () => {
    const admin = await get(unbuilt, '/admin/')
    expect(admin.statusCode).toBe(503)
    expect(admin.body).toBe('Not built yet. Run: npm run build -w @mnetifi/admin (npm start does it for you).')
    expect((await get(unbuilt, '/portal/demo/')).body).toBe('Not built yet. Run: npm run build -w @mnetifi/portal (npm start does it for you).')
  })
})
