// Vite: serves the compositor page (/), the peer baseline page (/peer.html) and the demo
// guests. Guest modules under /demos are served as plain files with CORS headers, exactly
// as any static host would serve them (no transforms), so what runs here is what a guest
// author's own server would give.
import { cpSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Connect, type Plugin } from 'vite';
import sirv from 'sirv';
import { guestBundles } from './tooling/guest-bundles.ts';
import { guestWatch } from './tooling/guest-watch.ts';
import { pageCsp } from './tooling/page-csp.ts';
import { chaosList } from './tooling/chaos-list.ts';
import { threeAddons } from './tooling/three-addons.ts';

const root = import.meta.dirname;

function rawGuestFiles(): Plugin {
  const serveDemos = (): Connect.NextHandleFunction => {
    const serve = sirv(resolve(root, 'demos'), {
      dev: true,
      etag: true,
      setHeaders: (res) => res.setHeader('Access-Control-Allow-Origin', '*'),
    });
    // A missing guest file is a 404, never Vite's HTML fallback page.
    const notFound = (res: import('node:http').ServerResponse) => {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain');
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.end('not found');
    };
    // TypeScript and HTML under demos/ are Vite's to transform (the peer page's code).
    return (req, res, next) => (/\.(ts|html)(\?|$)/.test(req.url ?? '') ? next() : serve(req, res, () => notFound(res)));
  };
  return {
    name: 'steadfast-raw-guest-files',
    configureServer(server) {
      server.middlewares.use('/demos', serveDemos());
    },
    configurePreviewServer(server) {
      server.middlewares.use('/demos', serveDemos());
    },
    closeBundle() {
      cpSync(resolve(root, 'demos'), resolve(root, 'dist/demos'), { recursive: true, filter: (src) => !src.endsWith('.ts') });
    },
  };
}

export default defineConfig({
  plugins: [pageCsp(), chaosList(), rawGuestFiles(), guestBundles(root), guestWatch(root), threeAddons(root)],
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  optimizeDeps: {
    entries: ['index.html', 'peer.html', 'hostile.html', 'timewarp.html', 'guest-runtime/worker.ts'],
    include: ['three', 'comlink', 'gl-matrix', 'valibot', 'webxr-polyfill/src/api/index.js', 'webxr-polyfill/src/devices/XRDevice.js'],
  },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 1024, // three.js is most of the worker and the peer page
    rollupOptions: { input: { main: resolve(root, 'index.html'), peer: resolve(root, 'peer.html'), hostile: resolve(root, 'hostile.html'), timewarp: resolve(root, 'timewarp.html') } },
  },
});
