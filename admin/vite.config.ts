/**
 * The admin dashboard builds to admin/dist, served by the API at /admin/ (assets under /admin/assets/).
 * `npm run dev -w @mnetifi/admin` proxies /api to a running API on :3000.
 */
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import tailwindcss from '@tailwindcss/vite'
import { precompress } from '../ui/build/precompress.js'

export default defineConfig({
  base: '/admin/',
  plugins: [react(), tailwindcss(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
})
