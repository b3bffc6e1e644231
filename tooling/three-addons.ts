// Vite plugin: three.js's addons (its examples/jsm tree, the release in package.json) served for
// guests at /@steadfast/three/examples/jsm/, raw and with CORS (guests run at an opaque origin),
// so `import … from 'three/addons/…'` inside a guest resolves there (shared/bare-specifiers.ts);
// and the WebXR input profiles (@webxr-input-profiles/assets: profile JSON and controller
// models) at /@steadfast/webxr-input-profiles/profiles/, where three's XRControllerModelFactory
// looks for them in a guest. Both copied into dist/ by `vite build`, so a build serves them too.
import { cpSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Connect, Plugin } from 'vite';
import sirv from 'sirv';
import { INPUT_PROFILES_PATH, THREE_ADDONS_PATH } from '../shared/bare-specifiers.ts';


export function threeAddons(root: string): Plugin {
  const source = resolve(root, 'node_modules/three/examples/jsm');
  const profiles = resolve(root, 'node_modules/@webxr-input-profiles/assets/dist/profiles');
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
      server.middlewares.use(INPUT_PROFILES_PATH, serve(profiles));
    },
    configurePreviewServer(server) {
      server.middlewares.use(THREE_ADDONS_PATH, serve(resolve(root, `dist${THREE_ADDONS_PATH}`)));
      server.middlewares.use(INPUT_PROFILES_PATH, serve(resolve(root, `dist${INPUT_PROFILES_PATH}`)));
    },
    closeBundle() {
      cpSync(source, resolve(root, `dist${THREE_ADDONS_PATH}`), { recursive: true });
      cpSync(profiles, resolve(root, `dist${INPUT_PROFILES_PATH}`), { recursive: true });
    },
  };
}
