// Bench section: the hostile gallery, one fixture at a time beside a healthy guest (a fresh
// browser each), as ratios against the healthy guest alone measured in the same run; and
// the watchdog's detection, kill and restart latencies from the hang fixture's history.
import type { Browser, Page } from 'playwright-core';
import { compositorUrl, launchBrowser, newPage } from '../tooling/driver/harness';
import { attachReader, sleep, type PageReader } from '../tooling/driver/page-reader';
import { HOSTILE_FIXTURES } from '../demos/hostile/catalog';
import type { CompositorStats } from '../compositor/stats';

const HEALTHY = 'demos/solid.js?color=00ff00&rect=0,0,1,0.5';
const VIEWPORT = { width: 480, height: 240 };
const EXTRA = { hud: '0', startupMs: '1500' };
/** How long a fixture is given to end (failed or quarantined) before its row reports it running, confined. */
const ENDS_WITHIN_MS = 20_000;

interface Mark {
  frames: number;
  healthy: number;
  t: number;
  s: CompositorStats;
}

async function mark(page: PageReader): Promise<Mark> {
  const { s, t } = await page.read();
  return { frames: s.frames, healthy: s.layers[0]!.presented, t, s };
}

const rate = (a: Mark, b: Mark) => ({
  fps: ((b.frames - a.frames) * 1000) / (b.t - a.t),
  healthy: (b.healthy - a.healthy) / Math.max(1, b.frames - a.frames),
});

/** The page, read over CDP: a guest frame's crash (a heap-exhausting guest) must not stop the bench. */
async function open(browser: Browser, appUrl: string, guests: string[]): Promise<PageReader> {
  const page: Page = await newPage(browser, VIEWPORT);
  const reader = await attachReader(page);
  const url = compositorUrl(appUrl, { guests, surface: '128x64', extra: EXTRA });
  await page.goto(url);
  if (!(await reader.until((s) => s.layers[0]?.state === 'running', 60_000))) throw new Error(`the healthy guest did not run within 60 s: ${url}`);
  return reader;
}

export async function benchHostile(appUrl: string): Promise<void> {
  let browser = await launchBrowser();
  const base = await open(browser, appUrl, [HEALTHY]);
  await sleep(500);
  const b0 = await mark(base);
  await sleep(3000);
  const baseline = rate(b0, await mark(base));
  await browser.close();

  console.log(`\n3. Hostile gallery: each fixture beside a healthy guest (128×64 surfaces), vs the healthy guest alone (${baseline.fps.toFixed(1)} fps)`);
  console.log('   "during" = from load until the hostile layer reached its end state; "after" = the next 2 s');
  console.log('   fixture                  during: fps ratio  healthy %   after: fps ratio  healthy %   time to end   end state');
  let hangPage: { s: CompositorStats } | null = null;
  for (const fixture of HOSTILE_FIXTURES) {
    browser = await launchBrowser();
    const page = await open(browser, appUrl, [HEALTHY, `demos/hostile/${fixture.file}`]);
    const start = await mark(page);
    // Within ENDS_WITHIN_MS, or not at all: at these small surfaces a costly guest may fit at a
    // scale the pacer gives it (the gallery's shader runs at 0.2–0.4 of 128×64), confined, not ended.
    const ended = await page.until((s) => ['failed', 'quarantined'].includes(s.layers[1]?.state ?? ''), ENDS_WITHIN_MS);
    const end = await mark(page);
    await sleep(2000);
    const after = await mark(page);
    const during = rate(start, end);
    const acted = rate(end, after);
    // A guest that fails at load ends within a frame or two: no window to judge "during" by.
    const short = end.t - start.t < 500;
    const row = [
      fixture.file.padEnd(24),
      (short ? '—' : (during.fps / baseline.fps).toFixed(2)).padStart(17),
      (short ? '—' : `${(100 * during.healthy).toFixed(0)} %`).padStart(10),
      (acted.fps / baseline.fps).toFixed(2).padStart(17),
      `${(100 * acted.healthy).toFixed(0)} %`.padStart(10),
      (ended ? `${((end.t - start.t) / 1000).toFixed(1)} s` : `> ${ENDS_WITHIN_MS / 1000} s`).padStart(13),
      `   ${end.s.layers[1]!.state}${ended ? '' : ` at ${end.s.layers[1]!.scale} scale (confined, not ended)`}`,
    ];
    console.log(`   ${row.join('')}`);
    if (fixture.file === 'hang-in-frame.js') hangPage = after;
    await browser.close();
  }

  if (hangPage) {
    const history = hangPage.s.layers[1]!.history;
    const dropped = history.filter((h) => h.state === 'dropped').map((h) => h.framesSinceDelivery);
    const killed = history.filter((h) => h.event === 'crashed' || (h.event === 'quarantined' && h.msSinceLife > 0)).map((h) => h.msSinceLife);
    const restartToFrame: number[] = [];
    history.forEach((h, i) => {
      if (h.event !== 'respawned') return;
      const first = history.slice(i + 1).find((x) => x.state === 'running');
      if (first) restartToFrame.push(first.t - h.t);
    });
    const fmt = (xs: number[], unit: string) => (xs.length ? `${xs.map((x) => Math.round(x)).join(', ')} ${unit} (mean ${Math.round(xs.reduce((a, b) => a + b, 0) / xs.length)})` : 'n/a');
    console.log('\n4. Watchdog latencies (hang-in-frame.js, each hang of its run; default policy: grace 10 frames, hang 250 ms)');
    console.log(`   hang → layer dropped            ${fmt(dropped, 'frames after its last frame')}`);
    console.log(`   hang → worker terminated        ${fmt(killed, 'ms after its last sign of life')}`);
    console.log(`   restart → first new frame       ${fmt(restartToFrame, 'ms from the new worker’s spawn')}`);
  }
}
