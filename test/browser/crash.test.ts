// A guest whose renderer process dies (heap exhausted, or crashed outright) beside a healthy
// guest, at the product's defaults (a 1280×720 page, the default surface, the HUD on): the
// compositor page survives and presents on with no stall, the healthy guest keeps presenting
// (each guest has a process of its own), and the supervisor takes the dead guest's layer through
// its policy. The rates are printed: at the defaults on a 2-core machine, the 3 s after an
// outright crash keep 0.64–0.93× of the baseline frame rate (a new renderer process starting for
// the restart takes CPU from everything for about a second, spread as missed vsyncs), a
// heap exhaustion 0.84–0.93×. What is asserted is what a wearer would see: no frame gap of
// 200 ms or more on the page (a visible hitch; measured at most 83 ms), and the healthy guest
// still presenting. Liveness is judged over a CDP session: Playwright
// treats an out-of-process iframe's crash as the page's and then refuses to evaluate in it.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { compositorUrl, launchBrowser, newPage, TEST_VIEWPORT } from '../../tooling/driver/harness';
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
  const page = await newPage(await freshBrowser(), TEST_VIEWPORT);
  page.on('crash', () => {}); // an out-of-process guest frame crashed: expected here
  const cdp = await page.context().newCDPSession(page);
  await page.goto(compositorUrl(app, { guests, extra }));
  await until(cdp, (s) => s.layers[0]?.state === 'running' && s.frames > 30, 30_000);
  return { page, cdp };
}

/** Starts recording the page's animation-frame gaps (ms), over CDP: Playwright refuses to evaluate after a guest frame crashes. */
async function recordGaps(cdp: CDPSession): Promise<void> {
  await cdp.send('Runtime.evaluate', {
    expression: `(() => { const gaps = (window.__gaps = []); let last = performance.now(); const tick = (t) => { gaps.push(t - last); last = t; requestAnimationFrame(tick); }; requestAnimationFrame(tick); })()`,
  });
}
/** The longest frame gap recorded since recordGaps, ms. */
async function longestGap(cdp: CDPSession): Promise<number> {
  const r = (await cdp.send('Runtime.evaluate', { expression: 'Math.max(0, ...window.__gaps)', returnByValue: true })) as { result: { value: number } };
  return r.result.value;
}

const rate = (a: { s: CompositorStats; t: number }, b: { s: CompositorStats; t: number }) => ({
  fps: ((b.s.frames - a.s.frames) * 1000) / (b.t - a.t),
  healthy: (b.s.layers[0]!.presented - a.s.layers[0]!.presented) / Math.max(1, b.s.frames - a.s.frames),
});

describe('guest renderer crashes', () => {
  let baselineFps = 0;
  /** The healthy guest's share of fresh frames alone (at the defaults a guest gets the surplus). */
  let baselineHealthy = 0;

  it('measures a baseline', async () => {
    const { page, cdp } = await openWithCdp([HEALTHY]);
    await new Promise((done) => setTimeout(done, 3000)); // admission: it earns its scale first
    const a = await readStats(cdp);
    await new Promise((done) => setTimeout(done, 2000));
    const r = rate(a, await readStats(cdp));
    baselineFps = r.fps;
    baselineHealthy = r.healthy;
    console.log(`baseline: ${baselineFps.toFixed(1)} fps; healthy alone ${(100 * baselineHealthy).toFixed(0)} %`);
    console.log(`baseline: ${baselineFps.toFixed(1)} fps; healthy alone ${(100 * baselineHealthy).toFixed(0)} %`);
    expect(baselineFps).toBeGreaterThan(30);
    expect(baselineHealthy).toBeGreaterThan(0.3);
    await page.close();
  });

  it('survives a guest that exhausts its heap: the page presents on, the healthy guest with it', async () => {
    const { page, cdp } = await openWithCdp([HEALTHY, 'demos/hostile/heap-exhaustion.js'], { maxRestarts: '0' });
    await recordGaps(cdp);
    const start = await readStats(cdp);
    const end = await until(cdp, (s) => s.layers[1]!.state === 'quarantined', 60_000);
    await new Promise((done) => setTimeout(done, 1500));
    const after = await readStats(cdp);
    const r = rate(start, after);
    const gap = await longestGap(cdp);
    console.log(`heap exhaustion: ${((end.t - start.t) / 1000).toFixed(1)} s to quarantine; ${(r.fps / baselineFps).toFixed(2)}× baseline fps; longest frame gap ${Math.round(gap)} ms; healthy ${(100 * r.healthy).toFixed(0)} % (alone ${(100 * baselineHealthy).toFixed(0)} %); ${end.s.layers[1]!.error}`);
    expect(end.s.layers[1]!.error).toMatch(/heap-exhaustion\.js/);
    expect(after.s.layers[0]!.state).toBe('running');
    expect(gap).toBeLessThan(200);
    // The issue asks that the healthy guest keep presenting (its own process was never touched).
    expect(r.healthy).toBeGreaterThan(0.25 * baselineHealthy);
    expect(after.s.layers[0]!.presented).toBeGreaterThan(end.s.layers[0]!.presented);
    await page.close();
  }, 90_000);

  it('survives a guest whose renderer process crashes outright, and restarts it', async () => {
    const { page, cdp } = await openWithCdp([HEALTHY, 'demos/solid.js?color=0000ff&rect=0.5,0,0.5,1']);
    await until(cdp, (s) => s.layers[1]!.state === 'running', 30_000);
    // The second guest's frame is an out-of-process iframe of its own (g2.localhost): crash its renderer.
    const targets = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
    const guestFrames = targets.targetInfos.filter((t) => t.type === 'iframe' && t.url.includes('/@steadfast/guest-frame.html'));
    // (A third may be live editing's warm staging container, made once the page is quiet.)
    expect(guestFrames.map((t) => new URL(t.url).hostname), 'each guest frame is its own out-of-process target').toEqual(expect.arrayContaining(['g1.localhost', 'g2.localhost']));
    const victim = guestFrames.find((t) => new URL(t.url).hostname === 'g2.localhost')!;
    await recordGaps(cdp);
    const start = await readStats(cdp);
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: victim.targetId, flatten: false })) as { sessionId: string };
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'Page.crash' }) }).catch(() => {});
    const restarted = await until(cdp, (s) => s.layers[1]!.restarts >= 1 && s.layers[1]!.state === 'running', 20_000);
    // The rate is judged over a fixed 3 s from the crash, the restart included, not over the
    // second or so up to the restarted guest's first frame:
    // that span always ends on a new renderer process starting up (its runtime compiling, its GL
    // context made), which on a 2-core machine takes the CPU from everything else for a moment
    // and once left only 0.87 of the baseline in a ~1 s window, a figure about the platform's
    // process start, not about what the compositor does through a crash.
    await new Promise((done) => setTimeout(done, Math.max(0, 3000 - (restarted.t - start.t))));
    const after = await readStats(cdp);
    const r = rate(start, after);
    const gap = await longestGap(cdp);
    console.log(`renderer crash: restarted and running again after ${((restarted.t - start.t) / 1000).toFixed(1)} s; over ${((after.t - start.t) / 1000).toFixed(1)} s from the crash: ${(r.fps / baselineFps).toFixed(2)}× baseline fps; longest frame gap ${Math.round(gap)} ms; healthy ${(100 * r.healthy).toFixed(0)} % (alone ${(100 * baselineHealthy).toFixed(0)} %); ${restarted.s.layers[1]!.error}`);
    expect(restarted.s.layers[1]!.error).toMatch(/hang detected/);
    expect(after.s.layers[1]!.state).toBe('running');
    expect(gap).toBeLessThan(200);
    expect(r.healthy).toBeGreaterThan(0.25 * baselineHealthy);
    await page.close();
  }, 60_000);
});
