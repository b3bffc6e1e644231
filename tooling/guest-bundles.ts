// Vite plugin: the guest runtime and the sandbox frame's bootstrap as single classic scripts.
//
// Inside a sandboxed iframe (opaque origin) only a classic worker from a blob: URL starts, and
// it cannot import the compositor's modules (no CORS for origin null, by design). So the runtime
// (comlink and all) is bundled into one IIFE, three.js into another, carried in the runtime's
// script as a string; the compositor fetches the script once and hands it to each guest frame as
// a Blob. Served in dev from memory, rebuilt when its sources change; written to dist/ by `vite build`.
//   /@steadfast/guest-runtime.js   the runtime, three.js in it as a string (also what plain-worker guests run)
//   /@steadfast/guest-frame.js     the frame's bootstrap
//   /@steadfast/guest-frame.html   the frame document, with its own Content-Security-Policy
//
// three.js travels in the runtime's script but does not run with it: its bundle is a string there
// (THREE_LOADER), which the runtime runs (as a blob: script, importScripts) only for a guest that
// uses three. A string literal is only scanned, where code, even in a function never called, is
// parsed: a plain WebGL guest's worker starts without paying for three.js. Measured here (a fresh
// worker beside one running guest, 10 starts each), the runtime was up 47–68 ms after its worker
// was made, against 80–127 ms with three.js run with it (70–102 ms with it in a function never called).
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ServerResponse } from 'node:http';
import { build, type Connect, type Plugin } from 'vite';
import { THREE_LOADER } from '../shared/bare-specifiers.ts';

export const BUNDLE_PREFIX = '/@steadfast/';

/**
 * The frame's policy. Guests load by URL from any origin, and the worker (created from blob:)
 * inherits this policy, so scripts and fetches may go to any http(s) origin; nothing else.
 */
export const FRAME_CSP = [
  "default-src 'none'",
  `script-src http: https: blob:`,
  'worker-src blob:',
  'connect-src http: https: data: blob:',
  'img-src http: https: data: blob:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The frame document; its policy also travels as a meta tag, for static hosts that set no headers. */
const FRAME_HTML = `<!doctype html>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}">
<title>steadfast guest frame</title>
<script src="${BUNDLE_PREFIX}guest-frame.js"></script>
`;

async function bundle(root: string, entry: string, name = 'steadfast'): Promise<string> {
  const result = await build({
    configFile: false,
    root,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      emptyOutDir: false,
      lib: { entry: resolve(root, entry), formats: ['iife'], name, fileName: () => 'bundle.js' },
    },
  });
  const outputs = Array.isArray(result) ? result : [result];
  for (const out of outputs) {
    if ('output' in out) {
      const chunk = out.output.find((o) => o.type === 'chunk');
      if (chunk && 'code' in chunk) return chunk.code;
    }
  }
  throw new Error(`bundling ${entry} produced no code`);
}

const ENTRIES = { 'guest-runtime.js': 'guest-runtime/worker.ts', 'guest-frame.js': 'guest-runtime/frame.ts' } as const;
type BundleName = keyof typeof ENTRIES;
/** three.js, bundled on its own (an IIFE that defines `var THREE`, kept local by withLazyThree). */
const THREE_ENTRY = 'node_modules/three/build/three.module.js';

/**
 * The runtime's script: three.js's bundle as a string on THREE_LOADER (a function run at once when
 * loaded, so its `var THREE` stays local, ending by setting the namespace on THREE_LOADER's result
 * key), then the runtime, which takes the string before any guest code runs (guest-runtime/three-loader.ts).
 */
function withLazyThree(runtime: string, three: string): string {
  const source = `(function () {\n${three}\nself[Symbol.for(${JSON.stringify(`${THREE_LOADER}.result`)})] = THREE;\n})();\n`;
  return `self[Symbol.for(${JSON.stringify(THREE_LOADER)})] = ${JSON.stringify(source)};\n${runtime}`;
}

export function guestBundles(root: string): Plugin {
  let bundles: Promise<Record<BundleName, string>> | null = null;
  const buildAll = async () => {
    const [runtime, three, frame] = await Promise.all([bundle(root, ENTRIES['guest-runtime.js']), bundle(root, THREE_ENTRY, 'THREE'), bundle(root, ENTRIES['guest-frame.js'])]);
    return { 'guest-runtime.js': withLazyThree(runtime, three), 'guest-frame.js': frame };
  };
  const current = () => (bundles ??= buildAll());

  const serve: Connect.NextHandleFunction = (req, res, next) => {
    const name = (req.url ?? '').split('?')[0]!.slice(BUNDLE_PREFIX.length);
    if (name === 'guest-frame.html') return sendFrame(res);
    if (name !== 'guest-runtime.js' && name !== 'guest-frame.js') return next();
    current().then(
      (all) => {
        res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
        res.setHeader('Cache-Control', 'no-cache');
        res.end(all[name]);
      },
      (e: unknown) => {
        res.statusCode = 500;
        res.end(`/* guest bundle failed: ${String(e)} */`);
      },
    );
  };

  return {
    name: 'steadfast-guest-bundles',
    configureServer(server) {
      void current();
      server.watcher.on('change', (file) => {
        if (/[\\/](guest-runtime|shared)[\\/]/.test(file)) bundles = null;
      });
      server.middlewares.use(serve);
    },
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        if ((req.url ?? '').split('?')[0] === `${BUNDLE_PREFIX}guest-frame.html`) return sendFrame(res);
        next();
      });
    },
    async closeBundle() {
      if (this.meta.watchMode) return;
      const out = resolve(root, 'dist', BUNDLE_PREFIX.slice(1));
      mkdirSync(out, { recursive: true });
      const all = await buildAll();
      for (const [name, code] of Object.entries(all)) writeFileSync(resolve(out, name), code);
      writeFileSync(resolve(out, 'guest-frame.html'), FRAME_HTML);
    },
  };
}

function sendFrame(res: ServerResponse): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', FRAME_CSP);
  res.setHeader('Cache-Control', 'no-cache');
  res.end(FRAME_HTML);
}
