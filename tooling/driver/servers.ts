// Shared browser driver for tests, bench and tooling (tooling/driver/).
// Servers the browser tests and the bench run against: Vite's dev server (what `npm start`
// runs) for the compositor, and a second origin serving guests with CORS headers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import sirv from 'sirv';
import { createServer, type Plugin, type ViteDevServer } from 'vite';

/**
 * Test-only routes on the compositor's origin: a secret that a credentialed request gets
 * (cookie `steadfast_secret=1`), with no CORS headers, as any private endpoint would be.
 */
function secretRoutes(): Plugin {
  return {
    name: 'test-secret-routes',
    configureServer(server) {
      server.middlewares.use('/__secret', (req, res) => {
        res.setHeader('Content-Type', 'text/plain');
        res.end(/(^|;\s*)steadfast_secret=1/.test(req.headers.cookie ?? '') ? 'secret-http' : 'no secret');
      });
    },
  };
}

const root = resolve(import.meta.dirname, '../..');

export interface Servers {
  /** Compositor origin, e.g. http://127.0.0.1:5301 */
  appUrl: string;
  /** A second origin serving test/fixtures and demos/ with CORS. */
  crossUrl: string;
  close(): Promise<void>;
}

export async function startServers(): Promise<Servers> {
  const vite: ViteDevServer = await createServer({
    root,
    configFile: resolve(root, 'vite.config.ts'),
    logLevel: (process.env.VITE_LOG as 'info') ?? 'warn',
    plugins: [secretRoutes()],
    server: { port: 0, host: '127.0.0.1', strictPort: false, hmr: false, watch: null },
  });
  await vite.listen();
  const appUrl = `http://127.0.0.1:${(vite.httpServer!.address() as AddressInfo).port}`;

  const serveFixtures = sirv(resolve(root, 'test/fixtures'), { dev: true, setHeaders: cors });
  const serveDemos = sirv(resolve(root, 'demos'), { dev: true, setHeaders: cors });
  // What spy guests managed to reach, by tag (the security suite reads it back).
  const reports: { tag: string; channel: string; detail: string; at: number }[] = [];
  const cross = http.createServer((req, res) => {
    const notFound = () => {
      res.statusCode = 404;
      res.end('not found');
    };
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/report') {
      reports.push({ tag: url.searchParams.get('tag') ?? '', channel: url.searchParams.get('channel') ?? '', detail: url.searchParams.get('detail') ?? '', at: Date.now() });
      cors(res);
      res.statusCode = 204;
      res.end();
    } else if (url.pathname === '/reports') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(reports.filter((r) => r.tag.startsWith(url.searchParams.get('prefix') ?? ''))));
    } else if (req.url?.startsWith('/no-cors/')) {
      // The same fixtures without CORS headers: a cross-origin import must fail, clearly.
      req.url = req.url.slice('/no-cors'.length);
      sirv(resolve(root, 'test/fixtures'), { dev: true })(req, res, notFound);
    } else if (req.url?.startsWith('/demos/')) {
      req.url = req.url.slice('/demos'.length);
      serveDemos(req, res, notFound);
    } else serveFixtures(req, res, notFound);
  });
  await new Promise<void>((done) => cross.listen(0, '127.0.0.1', done));
  const crossUrl = `http://127.0.0.1:${(cross.address() as AddressInfo).port}`;

  // Warm Vite's dependency optimiser so the first page load does not reload mid-test.
  await fetch(`${appUrl}/`).then((r) => r.text());

  return {
    appUrl,
    crossUrl,
    async close() {
      await vite.close();
      await new Promise<void>((done) => cross.close(() => done()));
    },
  };
}

function cors(res: http.ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
}
