import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// `npx vite build --config apps/billing-dashboard/web/vite.config.mts` → dist/apps/billing-dashboard/web, which
// the dashboard serves at `/` (DASHBOARD_WEB_DIR). `vite` (dev) proxies /api to a running dashboard.
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: path.join(here, '../../../dist/apps/billing-dashboard/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '/api': process.env.DASHBOARD_URL ?? 'http://127.0.0.1:8786' } },
});
