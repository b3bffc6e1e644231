// A leak check: 1,000 guest crash/restart cycles leave the compositor's GL objects and JS heap flat.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { launchBrowser, openCompositor, stats } from '../../tooling/driver/harness';

const app = inject('appUrl');
const CRASHERS = 8;
const CYCLES = 1_000;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Counts live WebGL objects on the page's contexts by wrapping their create and delete calls before any page code runs. */
const COUNT_GL_OBJECTS = `
  globalThis.__glLive = 0;
  for (const C of [WebGL2RenderingContext, WebGLRenderingContext]) {
    for (const kind of ['Texture', 'Buffer', 'Framebuffer', 'Renderbuffer', 'Program', 'Shader', 'VertexArray']) {
      const create = C.prototype['create' + kind];
      const remove = C.prototype['delete' + kind];
      if (!create || !remove) continue;
      C.prototype['create' + kind] = function (...a) { const o = create.apply(this, a); if (o) globalThis.__glLive++; return o; };
      C.prototype['delete' + kind] = function (o) { if (o) globalThis.__glLive--; return remove.call(this, o); };
    }
  }`;

async function totalRestarts(page: Page): Promise<number> {
  return (await stats(page)).layers.reduce((sum, l) => sum + l.restarts, 0);
}

async function measure(page: Page, cdp: CDPSession) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  const gl = await page.evaluate(() => (globalThis as unknown as { __glLive: number }).__glLive);
  const s = await stats(page);
  return { heap: heap.usedSize, gl, textures: s.textures, restarts: s.layers.reduce((sum, l) => sum + l.restarts, 0) };
}

describe('leak check', () => {
  it(`${CYCLES} crash/restart cycles leave GL objects and the JS heap flat`, async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 160 } });
    await context.addInitScript({ content: COUNT_GL_OBJECTS });
    const page = await openCompositor(context, app, {
      guests: ['demos/solid.js?color=00ff00', ...Array.from({ length: CRASHERS }, () => 'demos/hostile/throw-in-frame.js?after=1')],
      // Eight workers respawning back to back on two cores can starve any thread past the 250 ms
      // hang limit; the healthy guest here is a witness, not the subject, so give it room.
      extra: { maxRestarts: '1000000', backoffBaseMs: '0', backoffMaxMs: '0', hangMs: '2000', hud: '0' },
      viewport: { width: 320, height: 160 },
    });
    const cdp = await context.newCDPSession(page);
    await page.waitForFunction(() => window.compositor.stats().layers.reduce((n, l) => n + l.restarts, 0) >= 100, null, { timeout: 120_000 });
    const before = await measure(page, cdp);
    await page.waitForFunction((n) => window.compositor.stats().layers.reduce((sum, l) => sum + l.restarts, 0) >= n, before.restarts + CYCLES, {
      timeout: 400_000,
      polling: 500,
    });
    const after = await measure(page, cdp);
    const s = await stats(page);
    console.log(
      `leak check: ${after.restarts - before.restarts} cycles; heap ${(before.heap / 1e6).toFixed(2)} → ${(after.heap / 1e6).toFixed(2)} MB; ` +
        `live GL objects ${before.gl} → ${after.gl}; layer textures ${before.textures} → ${after.textures}`,
    );
    expect(after.restarts - before.restarts).toBeGreaterThanOrEqual(CYCLES);
    expect(s.layers[0]!.state).toBe('running');
    expect(after.gl - before.gl, 'live GL objects').toBeLessThanOrEqual(CRASHERS); // at most one texture per crasher alive at the sample
    expect(after.heap - before.heap, 'JS heap growth, bytes').toBeLessThan(1_000_000);
    expect(await totalRestarts(page)).toBeGreaterThanOrEqual(before.restarts + CYCLES);
    await context.close();
  }, 600_000);
});
