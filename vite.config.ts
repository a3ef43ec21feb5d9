import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The web UI lives in `web/`; `npm start` serves `web/dist` and falls back to index.html for SPA routes. */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const apiTarget = process.env.VORONKA_API_URL ?? 'http://127.0.0.1:3000';
const proxy = { '/api': { target: apiTarget, changeOrigin: false } };

export default defineConfig({
  root: here('./web'),
  base: '/',
  publicDir: here('./web/public'),
  plugins: [react()],
  css: { postcss: here('.') },
  server: { host: '127.0.0.1', port: 5173, proxy },
  preview: { host: '127.0.0.1', port: 4173, proxy },
  build: {
    outDir: here('./web/dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        // Long-lived vendor chunks for the shell. Heavy libraries used by single pages
        // (echarts, dnd-kit, @mantine/dates pickers) are deliberately left out: they are
        // split automatically into the lazy chunks of the pages that import them.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 30 },
            {
              name: 'mantine',
              test: /node_modules[\\/](@mantine[\\/](core|hooks|form|modals|notifications)|@floating-ui)[\\/]/,
              priority: 20,
            },
            { name: 'vendor', test: /node_modules[\\/](@tanstack|i18next|react-i18next|dayjs)[\\/]/, priority: 10 },
            { name: 'icons', test: /node_modules[\\/]@tabler[\\/]icons-react[\\/]/, priority: 6 },
            // the shell's own code (api, auth, ui, i18n, shell) in one chunk; feature pages stay lazy
            { name: 'app', test: /[\\/]web[\\/]src[\\/](api|auth|i18n|shell|ui)[\\/]/, priority: 5 },
          ],
        },
      },
    },
  },
});
