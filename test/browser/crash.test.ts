// A guest whose renderer process dies (heap exhausted, or crashed outright) beside a healthy
// guest: the compositor page survives and keeps ≥ 90 % of its baseline frame rate, the healthy
// guest keeps presenting (each guest has a process of its own), and the supervisor takes the
// dead guest's layer through its policy. Liveness is judged over a CDP session: Playwright
// treats an out-of-process iframe's crash as the page's and then refuses to evaluate in it.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { compositorUrl, launchBrowser, newPage } from '../../tooling/driver/harness';
import type { CompositorStats } from '../../compositor/stats';

const app = inject('appUrl');
const HEALTHY = 'demos/solid.js?color=00ff00';
/** A fresh browser per case: a crashed guest's leftover targets must not confuse the next case. */
let browser: Browser | null = null;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
async function freshBrowser(): Promise<Browser> {
  await browser?.close();
  browser = await launchBrowser();
  return browser;
}

async function readStats(cdp: CDPSession): Promise<{ s: CompositorStats; t: number }> {
  const result = (await cdp.send('Runtime.evaluate', {
    expression: 'JSON.stringify({ s: window.compositor.stats(), t: performance.now() })',
    returnByValue: true,
  })) as { result: { value: string } };
  return JSON.parse(result.result.value) as { s: CompositorStats; t: number };
}

async function until(cdp: CDPSession, check: (s: CompositorStats) => boolean, timeout: number): Promise<{ s: CompositorStats; t: number }> {
  const end = Date.now() + timeout;
  for (;;) {
    const r = await readStats(cdp);
    if (check(r.s)) return r;
    if (Date.now() > end) throw new Error(`timed out; layers: ${r.s.layers.map((l) => `${l.state} ${l.error ?? ''}`).join('; ')}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function openWithCdp(guests: string[], extra: Record<string, string> = {}): Promise<{ page: Page; cdp: CDPSession }> {
  const page = await newPage(await freshBrowser(), { width: 480, height: 240 });
  page.on('crash', () => {}); // an out-of-process guest frame crashed: expected here
  const cdp = await page.context().newCDPSession(page);
  await page.goto(compositorUrl(app, { guests, extra: { hud: '0', ...extra } }));
  await until(cdp, (s) => s.layers[0]?.state === 'running' && s.frames > 30, 30_000);
  return { page, cdp };
}

const rate = (a: { s: CompositorStats; t: number }, b: { s: CompositorStats; t: number }) => ({
  fps: ((b.s.frames - a.s.frames) * 1000) / (b.t - a.t),
  healthy: (b.s.layers[0]!.presented - a.s.layers[0]!.presented) / Math.max(1, b.s.frames - a.s.frames),
});

describe('guest renderer crashes', () => {
  let baselineFps = 0;

  it('measures a baseline', async () => {
    const { page, cdp } = await openWithCdp([HEALTHY]);
    const a = await readStats(cdp);
    await new Promise((done) => setTimeout(done, 2000));
    baselineFps = rate(a, await readStats(cdp)).fps;
    expect(baselineFps).toBeGreaterThan(30);
    await page.close();
  });

  it('survives a guest that exhausts its heap: the page presents on, the healthy guest with it', async () => {
    const { page, cdp } = await openWithCdp([HEALTHY, 'demos/hostile/heap-exhaustion.js'], { maxRestarts: '0' });
    const start = await readStats(cdp);
    const end = await until(cdp, (s) => s.layers[1]!.state === 'quarantined', 60_000);
    await new Promise((done) => setTimeout(done, 1500));
    const after = await readStats(cdp);
    const r = rate(start, after);
    console.log(`heap exhaustion: ${((end.t - start.t) / 1000).toFixed(1)} s to quarantine; ${(r.fps / baselineFps).toFixed(2)}× baseline fps; healthy ${(100 * r.healthy).toFixed(0)} %; ${end.s.layers[1]!.error}`);
    expect(end.s.layers[1]!.error).toMatch(/heap-exhaustion\.js/);
    expect(after.s.layers[0]!.state).toBe('running');
    expect(r.fps / baselineFps).toBeGreaterThanOrEqual(0.9);
    // The issue asks that the healthy guest keep presenting (its own process was never touched).
    expect(r.healthy).toBeGreaterThan(0.5);
    expect(after.s.layers[0]!.presented).toBeGreaterThan(end.s.layers[0]!.presented);
    await page.close();
  }, 90_000);

  it('survives a guest whose renderer process crashes outright, and restarts it', async () => {
    const { page, cdp } = await openWithCdp([HEALTHY, 'demos/solid.js?color=0000ff&rect=0.5,0,0.5,1']);
    await until(cdp, (s) => s.layers[1]!.state === 'running', 30_000);
    // The second guest's frame is an out-of-process iframe of its own (g2.localhost): crash its renderer.
    const targets = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
    const guestFrames = targets.targetInfos.filter((t) => t.type === 'iframe' && t.url.includes('/@steadfast/guest-frame.html'));
    expect(guestFrames.map((t) => new URL(t.url).hostname).sort(), 'each guest frame is its own out-of-process target').toEqual(['g1.localhost', 'g2.localhost']);
    const victim = guestFrames.find((t) => new URL(t.url).hostname === 'g2.localhost')!;
    const start = await readStats(cdp);
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: victim.targetId, flatten: false })) as { sessionId: string };
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'Page.crash' }) }).catch(() => {});
    const restarted = await until(cdp, (s) => s.layers[1]!.restarts >= 1 && s.layers[1]!.state === 'running', 20_000);
    const r = rate(start, restarted);
    console.log(`renderer crash: restarted and running again after ${((restarted.t - start.t) / 1000).toFixed(1)} s; ${(r.fps / baselineFps).toFixed(2)}× baseline fps; healthy ${(100 * r.healthy).toFixed(0)} %; ${restarted.s.layers[1]!.error}`);
    expect(restarted.s.layers[1]!.error).toMatch(/hang detected/);
    expect(r.fps / baselineFps).toBeGreaterThanOrEqual(0.9);
    expect(r.healthy).toBeGreaterThan(0.5);
    await page.close();
  }, 60_000);
});
