/**
 * Writes `ui/src/fonts/inter-subset.woff2`: Inter's variable font (from @fontsource-variable/inter, OFL) cut to
 * the characters our English and Swahili text uses, weights 400–700. A captive portal on a slow link pays for
 * every kilobyte before the customer sees a plan; the full Latin file is 48 KB, this one about half that.
 * Run `npx tsx ui/scripts/subset-font.ts` after adding text in a script the subset does not cover.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import subsetFont from 'subset-font'

const require = createRequire(import.meta.url)
const source = require.resolve('@fontsource-variable/inter/files/inter-latin-wght-normal.woff2')
// Printable ASCII, Latin-1 letters (names like "Njoroge Café"), and the typographic marks the apps print.
let text = ''
for (let c = 0x20; c <= 0x7e; c++) text += String.fromCharCode(c)
for (let c = 0xc0; c <= 0xff; c++) text += String.fromCharCode(c)
text += '·•–—‘’“”…€£×÷±°→←↑↓✓✕'
const out = await subsetFont(readFileSync(source), text, { targetFormat: 'woff2', variationAxes: { wght: { min: 400, max: 700 } } })
writeFileSync(new URL('../src/fonts/inter-subset.woff2', import.meta.url), out)
console.log(`inter-subset.woff2: ${out.length} bytes`)
