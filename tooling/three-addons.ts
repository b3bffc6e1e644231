// Vite plugin: three.js's addons (its examples/jsm tree, the release in package.json) served for
// guests at /@steadfast/three/examples/jsm/, raw and with CORS (guests run at an opaque origin),
// so `import … from 'three/addons/…'` inside a guest resolves there (shared/bare-specifiers.ts).
// Copied into dist/ by `vite build`, so a production build serves them too.
import { cpSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Connect, Plugin } from 'vite';
import sirv from 'sirv';

export const THREE_ADDONS_PATH = '/@steadfast/three/examples/jsm';

export function threeAddons(root: string): Plugin {
  const source = resolve(root, 'node_modules/three/examples/jsm');
  const serve = (dir: string): Connect.NextHandleFunction => {
    const files = sirv(dir, { dev: true, etag: true, setHeaders: (res) => res.setHeader('Access-Control-Allow-Origin', '*') });
    // A missing addon is a 404 (with CORS, so the guest's error can say so), never Vite's HTML fallback.
    return (req, res) =>
      files(req, res, () => {
        res.statusCode = 404;
        res.setHeader('Content-Type', 'text/plain');
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.end('not found');
      });
  };
  return {
    name: 'steadfast-three-addons',
    configureServer(server) {
      server.middlewares.use(THREE_ADDONS_PATH, serve(source));
    },
    configurePreviewServer(server) {
      server.middlewares.use(THREE_ADDONS_PATH, serve(resolve(root, `dist${THREE_ADDONS_PATH}`)));
    },
    closeBundle() {
      cpSync(source, resolve(root, `dist${THREE_ADDONS_PATH}`), { recursive: true });
    },
  };
}
