// Bench section: what isolation costs, as ratios against plain workers measured in the same run.
//  - the sandbox hop: frame-return latency and compositor main-thread ms per frame;
//  - the most guests presenting at ≥ 55 fps (small surfaces);
//  - terminate: how long a busy-looping guest's code keeps running after it is torn down.
import type { Browser, Page } from 'playwright-core';
import { compositorUrl, launchBrowser, newPage } from '../tooling/driver/harness';
import type { CompositorStats } from '../compositor/stats';
import { median } from '../shared/median';

type Isolation = 'worker' | 'sandbox';
const MODES: Isolation[] = ['worker', 'sandbox'];
const VIEWPORT = { width: 480, height: 240 };

async function open(browser: Browser, appUrl: string, guests: string[], surface: string, isolation: Isolation): Promise<Page> {
  const page = await newPage(browser, VIEWPORT);
  await page.goto(compositorUrl(appUrl, { guests, surface, extra: { hud: '0', isolation } }));
  await page.waitForFunction((n) => window.compositor?.stats().layers.filter((l) => l.state === 'running').length === n, guests.length, { timeout: 90_000 });
  return page;
}

async function sample(page: Page, ms: number) {
  return page.evaluate(
    (duration) =>
      new Promise<{ fps: number; guestFps: number[]; frameMs: number; latency: number }>((done) => {
        const a = window.compositor.stats();
        const t0 = performance.now();
        const latencies: number[] = [];
        const timer = setInterval(() => latencies.push(...window.compositor.stats().layers.map((l) => l.medianLatencyMs)), 250);
        setTimeout(() => {
          clearInterval(timer);
          const b: CompositorStats = window.compositor.stats();
          const s = (performance.now() - t0) / 1000;
          latencies.sort((x, y) => x - y);
          done({
            fps: (b.frames - a.frames) / s,
            guestFps: b.layers.map((l, i) => (l.presented - a.layers[i]!.presented) / s),
            frameMs: b.frameMs,
            latency: latencies[latencies.length >> 1] ?? 0,
          });
        }, duration);
      }),
    ms,
  );
}

export async function benchIsolation(appUrl: string, crossUrl: string): Promise<void> {
  console.log('\n5. Isolation (sandboxed iframe per guest, own site and process) vs plain workers (baseline), one run');
  console.log('   hop cost: one cheap guest, median frame-return latency and compositor main-thread ms/frame');
  console.log('   surface      worker latency  sandbox latency   ratio    worker ms/frame  sandbox ms/frame   ratio');
  for (const surface of ['256x128', '1024x512']) {
    const r: Record<Isolation, { latency: number; frameMs: number }> = { worker: { latency: 0, frameMs: 0 }, sandbox: { latency: 0, frameMs: 0 } };
    for (const mode of MODES) {
      const browser = await launchBrowser();
      const page = await open(browser, appUrl, ['demos/solid.js?color=ff0000'], surface, mode);
      await page.waitForTimeout(2000);
      const s = await sample(page, 4000);
      r[mode] = { latency: s.latency, frameMs: s.frameMs };
      await browser.close();
    }
    console.log(
      `   ${surface.padEnd(10)} ${r.worker.latency.toFixed(1).padStart(12)} ms ${r.sandbox.latency.toFixed(1).padStart(13)} ms ${(r.sandbox.latency / r.worker.latency).toFixed(2).padStart(7)}x` +
        ` ${r.worker.frameMs.toFixed(3).padStart(15)} ms ${r.sandbox.frameMs.toFixed(3).padStart(14)} ms ${(r.sandbox.frameMs / r.worker.frameMs).toFixed(2).padStart(7)}x`,
    );
  }

  console.log('\n   most guests at ≥ 55 fps (64×32 surfaces, 480×240 page): compositor fps and median guest fps per count');
  for (const mode of MODES) {
    let best = 0;
    const row: string[] = [];
    for (const n of [1, 2, 4, 8, 12, 16, 24, 32]) {
      const browser = await launchBrowser();
      const guests = Array.from({ length: n }, (_, i) => `demos/solid.js?color=${((i * 0x3f7a1) & 0xffffff).toString(16).padStart(6, '0')}&alpha=0.4`);
      let ok = false;
      try {
        const page = await open(browser, appUrl, guests, '64x32', mode);
        await page.waitForTimeout(3000);
        const s = await sample(page, 3000);
        const g = median(s.guestFps);
        row.push(`${n}: ${s.fps.toFixed(0)}/${g.toFixed(0)}`);
        ok = s.fps >= 55 && g >= 55;
      } catch {
        row.push(`${n}: did not start`);
      }
      await browser.close();
      if (ok) best = n;
      else break;
    }
    console.log(`   ${mode.padEnd(8)} ${row.join('  ')}  → ${best} guests`);
  }

  console.log('\n   terminate: a guest busy-looping in frame() (pinging a server) is unloaded; how long its code runs on');
  for (const mode of MODES) {
    const browser = await launchBrowser();
    const tag = `pinger-${mode}-${Date.now()}`;
    const page = await newPage(browser, VIEWPORT);
    await page.goto(compositorUrl(appUrl, { guests: ['demos/solid.js'], surface: '64x32', extra: { hud: '0', isolation: mode } }));
    await page.waitForFunction(() => window.compositor?.stats().frames > 0, null, { timeout: 60_000 });
    const id = await page.evaluate((url) => window.compositor.load(url), `${crossUrl}/busy-pinger.js?${new URLSearchParams({ report: crossUrl, tag })}`);
    const pings = async () => ((await (await fetch(`${crossUrl}/reports?prefix=${tag}`)).json()) as { at: number }[]).map((r) => r.at);
    for (let i = 0; i < 100 && (await pings()).length < 20; i++) await new Promise((r) => setTimeout(r, 100));
    const unloadedAt = await page.evaluate((layer) => {
      const t = Date.now();
      window.compositor.unload(layer);
      return t;
    }, id);
    await new Promise((r) => setTimeout(r, 4000));
    const last = Math.max(...(await pings()));
    console.log(`   ${mode.padEnd(8)} code ran on for ${Math.max(0, last - unloadedAt)} ms after unload (last ping ${last - unloadedAt} ms)`);
    await browser.close();
  }
}
