import { defineConfig } from 'vite';
import { serviceWorker } from './scripts/vite-service-worker.ts';

const API = 'http://127.0.0.1:3000';

export default defineConfig({
  root: 'client',
  plugins: [serviceWorker()],
  build: { outDir: '../dist/client', emptyOutDir: true, target: 'es2022' },
  server: {
    port: 5173,
    proxy: {
      // Keep the browser's Host (Vite's string shorthand would rewrite it), so the
      // server's Origin check sees a same-origin request from the dev server.
      '/api': { target: API, changeOrigin: false },
      '/yjs': { target: API, ws: true },
      '/socket.io': { target: API, ws: true },
    },
  },
});
