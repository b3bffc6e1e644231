// Vite plugin: the guest runtime, three.js and the sandbox frame's bootstrap as single classic scripts.
//
// Inside a sandboxed iframe (opaque origin) only a classic worker from a blob: URL starts, and
// it cannot import the compositor's modules (no CORS for origin null, by design). So the runtime
// (comlink and all) is bundled into one IIFE, three.js into another; the compositor fetches each
// once and hands them on as Blobs: the runtime's to each guest frame, three.js's to each runtime
// in its init call. Served in dev from memory, rebuilt when its sources change; written to dist/
// by `vite build`.
//   /@steadfast/guest-runtime.js   the runtime (also what plain-worker guests run)
//   /@steadfast/three.js           three.js, run by a runtime only for a guest that uses it
//   /@steadfast/guest-frame.js     the frame's bootstrap
//   /@steadfast/guest-frame.html   the frame document, with its own Content-Security-Policy
//
// three.js does not travel in the runtime's script: a worker runs it (as a blob: script,
// importScripts, guest-runtime/three-loader.ts) only for a guest that uses three, and a plain WebGL
// guest's worker neither fetches, scans nor runs it. It was carried in the runtime's script as a
// string (2.2 MB of its 2.5): every start decoded and scanned it (under a burst of starts here
// 300-400 ms of a core each, in the trace) and every worker kept it. Measured here, 8 plain guests
// at the defaults: all running 5.6-5.8 s after navigation with the string, 4.0 s without it.
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
type BundleName = keyof typeof ENTRIES | 'three.js';
/** three.js, bundled on its own (an IIFE that defines `var THREE`, kept local by threeScript). */
const THREE_ENTRY = 'node_modules/three/build/three.module.js';

/**
 * three.js's script: its bundle in a function run at once when loaded (so its `var THREE` stays
 * local), ending by setting the namespace on THREE_LOADER's result key (guest-runtime/three-loader.ts).
 */
function threeScript(three: string): string {
  return `(function () {\n${three}\nself[Symbol.for(${JSON.stringify(`${THREE_LOADER}.result`)})] = THREE;\n})();\n`;
}

export function guestBundles(root: string): Plugin {
  let bundles: Promise<Record<BundleName, string>> | null = null;
  const buildAll = async () => {
    const [runtime, three, frame] = await Promise.all([bundle(root, ENTRIES['guest-runtime.js']), bundle(root, THREE_ENTRY, 'THREE'), bundle(root, ENTRIES['guest-frame.js'])]);
    return { 'guest-runtime.js': runtime, 'three.js': threeScript(three), 'guest-frame.js': frame };
  };
  const current = () => (bundles ??= buildAll());

  const serve: Connect.NextHandleFunction = (req, res, next) => {
    const name = (req.url ?? '').split('?')[0]!.slice(BUNDLE_PREFIX.length);
    if (name === 'guest-frame.html') return sendFrame(res);
    if (name !== 'guest-runtime.js' && name !== 'three.js' && name !== 'guest-frame.js') return next();
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
