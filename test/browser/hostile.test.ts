// The promise, proved per hostile fixture and for all at once, at the product's defaults: the
// page never crashes, the compositor keeps ≥ 90 % of a baseline frame rate measured in the same
// run, the healthy guest keeps presenting and is back at least half as fresh as it is alone once
// the policy has acted (its own share of fresh frames, measured in the same run), it is never
// restarted, and the hostile layer ends as the policy says.
// The page is read over CDP (tooling/driver/page-reader.ts): a guest that exhausts its heap crashes
// its own frame's process (on a fast machine within seconds), which Playwright reports as the page's
// crash and then refuses to evaluate. Every read below would fail if the page itself had died.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openCompositor } from '../../tooling/driver/harness';
import { attachReader, sleep, type PageReader, type PollStats } from '../../tooling/driver/page-reader';
import { HOSTILE_FIXTURES, type HostileFixture } from '../../demos/hostile/catalog';
import type { CompositorStats } from '../../compositor/stats';

const app = inject('appUrl');
const HEALTHY = 'demos/solid.js?color=00ff00&rect=0,0,1,0.5';
/**
 * The product's defaults: a 1280×720 page, the default surface. (Until the compositor's output could
 * drop below ×0.5 this ran on a 480×240 page: at 1280×720 a guest restarting three times in five
 * seconds cost the 2-core machine's compositor 8–15 % of its rate while it lasted, at the 0.9 bar
 * held 'throughout'. With the output free to reach ×0.35, two full runs here had every case that
 * asserts 'throughout' at 0.92–1.00× while the guest misbehaved, and 0.98–1.00× throughout.)
 */
const SIBLING_PAGE = { guests: [HEALTHY] };
let baselineFps = 0;
/** The healthy guest's share of fresh frames alone, at the defaults on this machine. */
let baselineHealthy = 0;
/** Each case gets a fresh browser, so one fixture's aftermath (a 1 GB heap, queued GPU work) cannot colour the next. */
let browser: Browser | null = null;
async function freshBrowser(): Promise<Browser> {
  await browser?.close();
  browser = await launchBrowser();
  return browser;
}

interface Window {
  frames: number;
  healthy: number;
  t: number;
}

const snap = (s: CompositorStats, t: number): Window => ({ frames: s.frames, healthy: s.layers[0]!.presented, t });

async function read(page: PageReader): Promise<{ s: CompositorStats; w: Window }> {
  const { s, t } = await page.read();
  return { s, w: snap(s, t) };
}

function rates(a: Window, b: Window) {
  const seconds = (b.t - a.t) / 1000;
  return { fps: (b.frames - a.frames) / seconds, healthyShare: (b.healthy - a.healthy) / Math.max(1, b.frames - a.frames), seconds };
}

async function waitForEnd(page: PageReader, ids: number[], timeout = 40_000) {
  const ended = (s: PollStats) => ids.every((id) => ['failed', 'quarantined'].includes(s.layers.find((l) => l.id === id)?.state ?? ''));
  if (await page.until(ended, timeout, 50)) return;
  const { s } = await page.read();
  const pending = s.layers.filter((l) => ids.includes(l.id) && !['failed', 'quarantined'].includes(l.state));
  throw new Error(`not ended within ${timeout} ms; still going: ${pending.map((l) => `${l.url} ${l.state} pacing ${l.pacing} median ${l.medianLatencyMs.toFixed(0)} ms`).join('; ')}`);
}

beforeAll(async () => {
  // Admission starts it small and it earns its scale: measure once it has settled.
  const { page, reader } = await healthyRunning();
  const a = await read(reader);
  await sleep(2000);
  const b = await read(reader);
  baselineFps = rates(a.w, b.w).fps;
  baselineHealthy = rates(a.w, b.w).healthyShare;
  console.log(`baseline: ${baselineFps.toFixed(1)} fps, the healthy guest alone fresh in ${(100 * baselineHealthy).toFixed(0)} % of frames, output ×${b.s.budget.outputScale}`);
  await page.close();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/**
 * A fresh browser with the healthy guest running alone, its admission settled (as in the
 * baseline), before anything hostile is loaded; read over CDP from here on.
 */
async function healthyRunning(): Promise<{ page: Page; reader: PageReader }> {
  const page = await openCompositor(await freshBrowser(), app, SIBLING_PAGE);
  const reader = await attachReader(page);
  expect(await reader.until((s) => s.layers[0]!.state === 'running', 30_000), 'the healthy guest runs').toBe(true);
  await sleep(3000);
  return { page, reader };
}

/** Loads guests beside what runs; their layer ids. */
function load(reader: PageReader, urls: string[]): Promise<number[]> {
  return reader.evaluate<number[]>(`${JSON.stringify(urls)}.map((url) => window.compositor.load(url))`);
}

function checkEnd(s: CompositorStats, id: number, fixture: HostileFixture, exactError = true) {
  const layer = s.layers.find((l) => l.id === id)!;
  expect(layer.state, `${fixture.file}: ${layer.error}`).toBe(fixture.ends);
  // Alone, each fixture trips its own rule; all at once, contention can let another rule act first.
  if (exactError) {
    expect(layer.error).toMatch(fixture.error);
    if (fixture.reason) expect(layer.stateReason).toMatch(fixture.reason);
  } else expect(layer.error).toContain(fixture.file);
  if (fixture.ends === 'quarantined') expect(layer.stateReason).toBeTruthy();
  // The healthy guest was never restarted. (At the very moment of the act it may be a frame late,
  // shown reprojected as 'stale'; that it is running again is checked once the act has settled.)
  expect(s.layers[0]!.restarts, `healthy guest restarted: ${describeLayer(s.layers[0]!)}`).toBe(0);
  expect(s.internalErrors).toBe(0);
}

/** The healthy guest is running: not dropped, not restarting (a momentary 'stale' may pass first). */
async function expectHealthyRunning(page: PageReader, timeout = 2000) {
  const running = await page.until((s) => s.layers[0]!.state === 'running', timeout, 16);
  const { s } = await page.read();
  expect(running, `healthy guest not running: ${describeLayer(s.layers[0]!)}`).toBe(true);
  expect(s.layers[0]!.restarts, `healthy guest restarted: ${describeLayer(s.layers[0]!)}`).toBe(0);
}

/** A layer's error and its last state changes, for a failure message. */
function describeLayer(l: CompositorStats['layers'][number]): string {
  return `${l.error ?? 'no error'}; history ${l.history.map((h) => `${h.state}(${h.event}, frame ${h.frame}, ${h.msSinceLife} ms since life)`).join(' → ')}`;
}

describe('each hostile guest beside a healthy one', () => {
  it('measured a baseline', () => {
    expect(baselineFps).toBeGreaterThan(30);
    expect(baselineHealthy, 'alone, the healthy guest is fresh in at least every 2nd frame').toBeGreaterThanOrEqual(0.45);
  });

  it.each(HOSTILE_FIXTURES.map((f) => [f.file, f] as const))('%s', async (_file, fixture) => {
    // The healthy guest starts first, alone, and runs before the hostile one is loaded: what is judged
    // is what the hostile guest does to it, not two start-ups racing for two cores. The policy is the
    // default one (its 4 s start-up limit): a shorter limit would be tripped by a slow machine's
    // spawning, not by the fixtures (the start-up ones never deliver a frame, whatever the limit).
    const { page, reader } = await healthyRunning();
    expect(await load(reader, [`demos/hostile/${fixture.file}`])).toEqual([2]);
    // Judge from when the hostile guest has started (its first frame, or its end): spawning its
    // process and runtime is the platform's cost, not its misbehaviour.
    expect(await reader.until((s) => s.layers[1]!.state !== 'loading', 30_000, 16), 'the hostile guest started or ended').toBe(true);
    const start = await read(reader);
    await waitForEnd(reader, [2]);
    const end = await read(reader);
    checkEnd(end.s, 2, fixture);
    // "Once acted" is judged from 1 s after the act: the act itself costs a 2-core machine some
    // frames (terminating a worker and its sandbox process, giving back a heap of gigabytes, GPU
    // work already queued by a guest evicted for its draws, and the healthy guest's pace to win back).
    await sleep(1000);
    const settled = await read(reader);
    await sleep(2000);
    const after = await read(reader);
    // After the GPU hog the sibling was seen not running in clean-clone runs: it had been
    // quarantined for runaway frames that were the hog's queued GPU work (fixed: runaway frames are
    // judged by the guest's fastest). The layer's history goes in the message if it is not running.
    await expectHealthyRunning(reader, 2000);
    const during = rates(start.w, end.w);
    const acted = rates(settled.w, after.w);
    const throughout = rates(start.w, after.w);
    console.log(
      `${fixture.file.padEnd(24)} during: ${(during.fps / baselineFps).toFixed(2)}× fps, healthy ${(100 * during.healthyShare).toFixed(0)} % (${during.seconds.toFixed(1)} s)` +
        ` · after: ${(acted.fps / baselineFps).toFixed(2)}×, ${(100 * acted.healthyShare).toFixed(0)} % · throughout: ${(throughout.fps / baselineFps).toFixed(2)}×, ${(100 * throughout.healthyShare).toFixed(0)} % · ends ${end.s.layers[1]!.state}` +
        ` · output ×${start.s.budget.outputScale} → ×${after.s.budget.outputScale}`,
    );
    // Once the policy has acted: the compositor at ≥ 90 % of baseline, the healthy guest as fresh as alone.
    expect(acted.fps / baselineFps, 'compositor frame rate vs baseline, once acted').toBeGreaterThanOrEqual(0.9);
    // The sibling re-earns its scale and pace over a few seconds after a neighbour's spawn and end
    // (64–95 % against 94 % alone, 1–3 s after the act, across runs here): what is asserted is that
    // it is back presenting at least half as fresh as alone; the bench measures how fresh.
    expect(acted.healthyShare, 'healthy guest presented share, once acted, against its own alone').toBeGreaterThanOrEqual(0.5 * baselineHealthy);
    // While it misbehaves: the compositor keeps its rate and the healthy guest keeps presenting. (On a
    // 2-core machine a guest burning a core costs its sibling frames now and then: see the bench.)
    if (fixture.siblingsProtected === 'throughout') {
      expect(throughout.fps / baselineFps, 'compositor frame rate vs baseline, throughout').toBeGreaterThanOrEqual(0.9);
      expect(throughout.healthyShare, 'healthy guest presented share, throughout, against its own alone').toBeGreaterThanOrEqual(0.25 * baselineHealthy);
    }
    // A guest too slow for any scale (slow-frames' own frame(), the shader's GPU work) is refused
    // as its first frames come in: the catalog's error says so, and it never rendered larger.
    if (fixture.file === 'slow-frames.js' || fixture.file === 'expensive-shader.js') expect(end.s.layers[1]!.scale, 'never rendered above 1/8').toBeLessThanOrEqual(0.125);
    if (fixture.file === 'message-flood.js') expect(end.s.layers[1]!.strayMessages).toBeGreaterThan(64);
    await page.close();
  });
});

describe('a GPU hog too costly even at its admission probe', () => {
  it('is refused before it is ever asked at 1/8, and the healthy guest keeps running', async () => {
    // The gallery's shader drawn 24 times a frame: about 150 ms of GPU work at 1/32 and 500 ms at
    // 1/16 here, where every other context's work waits behind it.
    // Asked at 1/8 next, a frame would hold the shared queue about 2 s (measured before admission
    // went through 1/16: the compositor at 1–6 fps for over 3 s before its latency refused it).
    const { page, reader } = await healthyRunning();
    expect(await load(reader, ['demos/hostile/expensive-shader.js?draws=24'])).toEqual([2]);
    await waitForEnd(reader, [2]);
    const end = await read(reader);
    const hog = end.s.layers[1]!;
    expect(hog.state, describeLayer(hog)).toBe('quarantined');
    expect(hog.error).toMatch(/expensive-shader\.js\?draws=24: refused at admission: at 0\.(125|0625) scale its frames/);
    // What it was asked at, request by request (the trace keeps each request's scale).
    const trace = (await reader.evaluate('window.compositor.exportTrace(30)')) as { traceEvents: { name: string; tid: number; args: Record<string, unknown> }[] };
    const scales = trace.traceEvents.filter((e) => e.tid === 2 && e.name === 'frame requested').map((e) => Number(e.args.scale));
    console.log(`expensive-shader.js?draws=24: asked at ${scales.join(', ')}; ${hog.error}`);
    expect(scales.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...scales), 'never asked at 1/8').toBeLessThanOrEqual(0.0625);
    await sleep(1000);
    const settled = await read(reader);
    await sleep(2000);
    const after = await read(reader);
    await expectHealthyRunning(reader);
    expect(rates(settled.w, after.w).fps / baselineFps, 'compositor frame rate vs baseline, once acted').toBeGreaterThanOrEqual(0.9);
    await page.close();
  }, 60_000);
});

describe('all hostile guests at once', () => {
  it('keeps the compositor and the healthy guest going while every hostile layer ends as the policy says', async () => {
    // The healthy guest runs first, then the whole gallery is loaded beside it at once (as the HUD's
    // chaos button does), with the default policy.
    const { page, reader } = await healthyRunning();
    const ids = await load(reader, HOSTILE_FIXTURES.map((f) => `demos/hostile/${f.file}`));
    expect(ids).toEqual(HOSTILE_FIXTURES.map((_, i) => i + 2));
    const start = await read(reader);
    await waitForEnd(reader, ids, 90_000);
    const end = await read(reader);
    for (const l of end.s.layers) {
      const ended = l.history.filter((h) => h.state === 'restarting' || h.state === 'quarantined').map((h) => h.msSinceLife);
      console.log(`  ${l.state.padEnd(11)} restarts ${l.restarts} (ms since life at each: ${ended.join(', ')}) ${l.error ?? ''}`.slice(0, 260));
    }
    HOSTILE_FIXTURES.forEach((fixture, i) => checkEnd(end.s, i + 2, fixture, false));
    await sleep(1000);
    const settled = await read(reader);
    await sleep(2000);
    const after = await read(reader);
    const during = rates(start.w, end.w);
    const acted = rates(settled.w, after.w);
    console.log(
      `all at once: during ${(during.fps / baselineFps).toFixed(2)}× fps, healthy ${(100 * during.healthyShare).toFixed(0)} % (${during.seconds.toFixed(1)} s) · after ${(acted.fps / baselineFps).toFixed(2)}×, ${(100 * acted.healthyShare).toFixed(0)} %`,
    );
    // With a GPU hog among them, the promise is judged once the policy has acted (see README).
    expect(acted.fps / baselineFps).toBeGreaterThanOrEqual(0.9);
    expect(acted.healthyShare).toBeGreaterThanOrEqual(0.5 * baselineHealthy);
    await expectHealthyRunning(reader);
    await page.close();
  }, 150_000);
});
