/**
 * Headless Chromium from Debian (`/usr/bin/chromium`) driven by playwright-core, with axe-core run inside the
 * page and screenshots written under test-results/<app>/ for a reviewer to look at.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core'

const require = createRequire(import.meta.url)
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Flags every test run uses: no sandbox as root, no GPU, and no calls home (the network here is closed). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })
}

/** A phone-sized page (360×640, touch), as a cheap Android phone shows the captive window. */
export async function phonePage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'en-KE',
    ...options,
  })
  return context.newPage()
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A/AA rules). */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  // The page functions run in the browser; they are passed as strings so this Node file needs no DOM types.
  if (!(await page.evaluate('"axe" in window'))) await page.addScriptTag({ content: AXE_SOURCE })
  const result = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })`,
  )) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }))
}

/** Saves a full-page screenshot as test-results/<app>/<name>.png (app defaults to portal). */
export async function screenshot(page: Page, name: string, app = 'portal'): Promise<void> {
  const dir = new URL(`../../test-results/${app}/`, import.meta.url).pathname
  mkdirSync(dir, { recursive: true })
  // Let the step transition finish so the picture shows the settled screen.
  await page.waitForTimeout(250)
  await page.screenshot({ path: `${dir}${name}.png`, fullPage: true })
}
