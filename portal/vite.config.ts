/**
 * The portal builds to portal/dist, served by the API at /portal/<subdomain>/ (assets under /portal/assets/).
 * `npm run dev -w @mnetifi/portal` proxies /api to a running API on :3000.
 */
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import tailwindcss from '@tailwindcss/vite'
import { precompress } from '../ui/build/precompress.js'

export default defineConfig({
  base: '/portal/',
  plugins: [react(), tailwindcss(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // The font stays a file of its own (woff2 is compressed already; base64 in the CSS would grow it by a third).
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
})
