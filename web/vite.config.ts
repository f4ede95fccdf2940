/** Builds the web UI into web/dist, which `opsloop serve` serves (src/server/web-static.ts). */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets', sourcemap: false, target: 'es2022' },
  // `npx vite --config web/vite.config.ts` for development: API calls go to a running `opsloop serve`.
  server: { proxy: { '/api': process.env.OPSLOOP_URL ?? 'http://127.0.0.1:3000' } },
});
