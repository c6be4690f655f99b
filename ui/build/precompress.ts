/**
 * A Vite plugin both apps use: after the build, writes Brotli and gzip copies of every text asset next to it
 * (`app.js.br`, `app.js.gz`), which the API's static server sends as they are. Compressing once at build time
 * at the highest level beats compressing every response on a small VPS.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { Plugin } from 'vite'

const TEXT = /\.(js|css|html|svg|json|txt)$/

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}

export function precompress(outDir = 'dist'): Plugin {
  return {
    name: 'mnetifi-precompress',
    apply: 'build',
    closeBundle() {
      for (const file of walk(outDir)) {
        if (!TEXT.test(file)) continue
        const body = readFileSync(file)
        writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }))
        writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }))
      }
    },
  }
}
