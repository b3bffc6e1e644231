// npm run bench: performance figures from headless Chromium, each printed as a ratio
// against a baseline measured in the same run (absolute figures alongside, for context).
//
//  1. Compositor main-thread ms per frame with 1, 2, 4 and 8 layers (baseline: 1 layer).
//  2. The cubes room rendered by three.js directly on the main thread of a plain WebXR page
//     (the peer, peer.html; baseline) against the same scene running as a Steadfast guest.
//  3. Each hostile fixture beside a healthy guest (baseline: the healthy guest alone).
//  4. Watchdog latencies: hang → dropped (frames), hang → terminated (ms), restart → first frame (ms).
//  5. Isolation against plain workers: the sandbox hop's latency and main-thread cost, the most
//     guests at ≥ 55 fps, and how long a busy-looping guest runs on after it is torn down.
//  6. Timewarp: reprojection cost per layer (baseline: the unwarped copy in the same run), and
//     the residual error on screen for a 200°/s head turn with timewarp and prediction on and off.
//  7. Live editing: save → new pixels (p50, p95 over 20 edits) on the dev-server and polling
//     paths, against the peer page's full reload in the same run.
//  8. Presents on time at the defaults (bench/budget.ts): the default demos, trivial guests,
//     hostile guests and chaos, with dynamic resolution on and off, as ratios to a blank page.
//  9. Input (bench/input.ts): trigger → select event in the focused guest (ms and frames), and
//     the pick's cost.
//
// Flags: --no-hostile, --no-isolation, --no-timewarp, --no-live-edit, --no-budget skip a section;
// --no-input and --no-imports likewise; --only-isolation, --only-timewarp, --only-live-edit,
// --only-budget, --only-input and --only-imports run just that one; --cases=a,b runs only the
// section 8 cases whose names contain one of these (bench/budget.ts).
import type { Browser, Page } from 'playwright-core';
import { availableParallelism } from 'node:os';
import { launchBrowser, compositorUrl, glRenderer, newPage } from '../tooling/driver/harness';
import { startServers } from '../tooling/driver/servers';
import { benchHostile } from './hostile';
import { benchIsolation } from './isolation';
import { benchTimewarp } from './timewarp';
import { benchLiveEdit } from './live-edit';
import { benchBudget } from './budget';
import { benchInput } from './input';
import { benchThreeImports } from './three-imports';

const SURFACE = { width: 1024, height: 512 };
/** Small surfaces separate the compositor's per-layer overhead from software GL's pixel throughput. */
const SMALL_SURFACE = { width: 256, height: 128 };
const VIEWPORT = { width: 1024, height: 512 };
const SMALL_VIEWPORT = { width: 480, height: 240 };
const WARMUP_MS = 2500;
const MEASURE_MS = 4000;

interface Sample {
  fps: number;
  frameMs: number;
  guestFps: number;
}

async function measureCompositor(browser: Browser, appUrl: string, guests: string[], surface = SURFACE, viewport = VIEWPORT): Promise<Sample> {
  const page = await newPage(browser, viewport);
  await page.goto(compositorUrl(appUrl, { guests, surface: `${surface.width}x${surface.height}`, extra: { hud: '0' } }));
  await page.waitForFunction((n) => window.compositor?.stats().layers.filter((l) => l.state === 'running').length === n, guests.length, {
    timeout: 60_000,
  });
  await page.waitForTimeout(WARMUP_MS);
  const sample = await page.evaluate(
    (ms) =>
      new Promise<Sample>((done) => {
        const read = () => ({ s: window.compositor.stats(), t: performance.now() });
        const a = read();
        // Mean main-thread ms per frame over the window, sampled every 500 ms (stats() averages the last 120 frames).
        const frameMs: number[] = [];
        const timer = setInterval(() => frameMs.push(window.compositor.stats().frameMs), 500);
        setTimeout(() => {
          clearInterval(timer);
          const b = read();
          const seconds = (b.t - a.t) / 1000;
          const presented = (x: typeof a) => x.s.layers.reduce((sum, l) => sum + l.presented, 0) / x.s.layers.length;
          done({
            fps: (b.s.frames - a.s.frames) / seconds,
            frameMs: frameMs.reduce((x, y) => x + y, 0) / frameMs.length,
            guestFps: (presented(b) - presented(a)) / seconds,
          });
        }, ms);
      }),
    MEASURE_MS,
  );
  await page.close();
  return sample;
}

async function measurePeer(browser: Browser, appUrl: string): Promise<number> {
  const page: Page = await newPage(browser, VIEWPORT);
  await page.goto(`${appUrl}/peer.html`);
  await page.waitForFunction(() => window.peer?.stats().frames > 0, null, { timeout: 60_000 });
  await page.waitForTimeout(WARMUP_MS);
  const fps = await page.evaluate(
    (ms) =>
      new Promise<number>((done) => {
        const a = window.peer.stats().frames;
        const t = performance.now();
        setTimeout(() => done(((window.peer.stats().frames - a) * 1000) / (performance.now() - t)), ms);
      }),
    MEASURE_MS,
  );
  await page.close();
  return fps;
}

const fmt = (n: number, digits = 2) => n.toFixed(digits).padStart(8);

async function main(): Promise<void> {
  const servers = await startServers();
  const browser = await launchBrowser();
  try {
    console.log(`Steadfast bench — headless Chromium; WebGL: ${await glRenderer(browser)}; ${availableParallelism()} cores`);
    console.log(`sections 1–2: surface ${SURFACE.width}×${SURFACE.height}, page ${VIEWPORT.width}×${VIEWPORT.height}`);
    console.log(`(each figure: ${WARMUP_MS} ms warm-up, ${MEASURE_MS} ms measured)\n`);

    if (process.argv.includes('--only-isolation')) {
      await benchIsolation(servers.appUrl, servers.crossUrl);
      return;
    }
    if (process.argv.includes('--only-timewarp')) {
      await benchTimewarp(servers.appUrl, servers.crossUrl);
      return;
    }
    if (process.argv.includes('--only-budget')) {
      await benchBudget(servers.appUrl);
      return;
    }
    if (process.argv.includes('--only-input')) {
      await benchInput(servers.appUrl, servers.crossUrl);
      return;
    }
    if (process.argv.includes('--only-imports')) {
      await benchThreeImports(servers.appUrl, servers.crossUrl);
      return;
    }
    if (process.argv.includes('--only-live-edit')) {
      await benchLiveEdit(servers.appUrl, servers.crossUrl);
      return;
    }
    console.log('1. Compositor main-thread ms per frame vs layer count (cheap plain-WebGL guests; baseline = 1 layer)');
    // Software GL is fill-rate bound: a 1024×512 page with 8 full-view blended layers is ~4 Mpx of
    // blending per frame. The small case isolates the compositor's per-layer overhead.
    for (const [surface, viewport] of [[SURFACE, VIEWPORT], [SMALL_SURFACE, SMALL_VIEWPORT]] as const) {
      console.log(`   surface ${surface.width}×${surface.height}, page ${viewport.width}×${viewport.height}`);
      console.log('   layers   ms/frame   ratio      fps  guest fps');
      let base = 0;
      for (const n of [1, 2, 4, 8]) {
        const guests = Array.from({ length: n }, (_, i) => `demos/solid.js?color=${['ff0000', '00ff00', '0000ff', 'ffff00'][i % 4]}&alpha=0.5`);
        const s = await measureCompositor(browser, servers.appUrl, guests, surface, viewport);
        if (n === 1) base = s.frameMs;
        console.log(`   ${String(n).padStart(6)} ${fmt(s.frameMs, 3)}  ${fmt(s.frameMs / base)}x ${fmt(s.fps, 1)} ${fmt(s.guestFps, 1)}`);
      }
    }

    console.log('\n2. Same three.js scene (cubes room): peer page on the main thread (baseline) vs as a Steadfast guest');
    const peerFps = await measurePeer(browser, servers.appUrl);
    const guest = await measureCompositor(browser, servers.appUrl, ['demos/cubes.js']);
    console.log(`   peer (main thread) fps          ${fmt(peerFps, 1)}`);
    console.log(`   guest fresh frames per second   ${fmt(guest.guestFps, 1)}   (compositor presenting at ${guest.fps.toFixed(1)} fps, ${guest.frameMs.toFixed(3)} ms/frame)`);
    console.log(`   frame-rate ratio guest / peer   ${fmt(guest.guestFps / peerFps)}x`);
    console.log(`   compositor fps / peer fps       ${fmt(guest.fps / peerFps)}x`);
    await browser.close();

    if (!process.argv.includes('--no-hostile')) await benchHostile(servers.appUrl);
    if (!process.argv.includes('--no-isolation')) await benchIsolation(servers.appUrl, servers.crossUrl);
    if (!process.argv.includes('--no-timewarp')) await benchTimewarp(servers.appUrl, servers.crossUrl);
    if (!process.argv.includes('--no-live-edit')) await benchLiveEdit(servers.appUrl, servers.crossUrl);
    if (!process.argv.includes('--no-budget')) await benchBudget(servers.appUrl);
    if (!process.argv.includes('--no-input')) await benchInput(servers.appUrl, servers.crossUrl);
    if (!process.argv.includes('--no-imports')) await benchThreeImports(servers.appUrl, servers.crossUrl);
  } finally {
    await browser.close().catch(() => {});
    await servers.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
