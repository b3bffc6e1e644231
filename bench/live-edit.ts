// Bench section: live editing. Save → new pixels on screen, over 20 edits, for a three.js guest
// (the cubes room, its sky colour changed by each edit) on the two paths a change can take: the
// dev server's file watcher (Vite plugin + HMR event) and polling a guest on another origin. Each
// edit is vetted before it shows (load, setup with the carried state, preview frame, 30-frame
// window). Baseline, in the same run: the peer page (the same room, plain three.js on the main
// thread) reloaded in full, from the reload to its first frame; it loses its state, and the
// time Vite takes to notice a save and tell the page is not in that figure.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { compositorUrl, launchBrowser, newPage } from '../tooling/driver/harness';
import { capture } from '../tooling/driver/capture';

const EDITS = 20;
const VIEWPORT = { width: 480, height: 240 };
const root = resolve(import.meta.dirname, '..');

/** A distinct sky colour for edit i. */
function colour(i: number): [number, number, number] {
  const palette: [number, number, number][] = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [255, 0, 255], [0, 255, 255]];
  return palette[i % palette.length]!;
}

function guestSource(sceneUrl: string, rgb: [number, number, number]): string {
  return `import { createCubesRoom } from '${sceneUrl}';
let room;
let stereo;
let frames = 0;
export default {
  setup(ctx) {
    frames = ctx.state?.frames ?? 0;
    room = createCubesRoom(ctx.THREE);
    room.scene.background = new ctx.THREE.Color(${rgb.map((c) => c / 255).join(', ')});
    stereo = ctx.createThreeRenderer();
  },
  frame(ctx) {
    frames += 1;
    room.update(ctx.time);
    stereo.render(room.scene);
  },
  snapshot() { return { frames }; },
};
`;
}

/** Top of the left eye: sky. */
async function sky(page: Page): Promise<number[]> {
  const c = await capture(page, { x: 120, y: 232, width: 1, height: 1 });
  return Array.from(c.pixels.subarray(0, 3));
}

const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) <= 16);

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

async function editLoop(page: Page, save: (i: number) => void): Promise<number[]> {
  const times: number[] = [];
  for (let i = 1; i <= EDITS; i++) {
    const target = colour(i);
    const t0 = Date.now();
    save(i);
    for (;;) {
      if (near(await sky(page), target)) break;
      if (Date.now() - t0 > 30_000) {
        const l = await page.evaluate(() => window.compositor.stats().layers[0]!);
        throw new Error(`edit ${i} never showed (sky ${await sky(page)}, want ${target}): ${JSON.stringify({ state: l.state, version: l.version, error: l.error, reload: l.reload, latency: l.medianLatencyMs, pacing: l.pacing })}`);
      }
      await page.waitForTimeout(20);
    }
    times.push(Date.now() - t0);
    // Let the vetting of this one end before the next save (saves arrive one at a time here).
    await page.waitForFunction(() => window.compositor.stats().layers[0]!.reload.vetting === null, null, { timeout: 30_000 });
  }
  return times;
}

export async function benchLiveEdit(appUrl: string, crossUrl: string): Promise<void> {
  const devDir = resolve(root, 'demos/scratch');
  const crossDir = resolve(root, 'test/fixtures/scratch');
  mkdirSync(devDir, { recursive: true });
  mkdirSync(crossDir, { recursive: true });
  const browser = await launchBrowser();
  try {
    console.log(`\n7. Live editing: save → new pixels on screen, ${EDITS} edits of a three.js guest (surface 512×256, page 480×240)`);
    const rows: [string, number[], string][] = [];

    const devFile = resolve(devDir, `bench-${process.pid}.js`);
    writeFileSync(devFile, guestSource('../scenes/cubes-room.js', colour(0)));
    let page = await newPage(browser, VIEWPORT);
    await page.goto(compositorUrl(appUrl, { guests: [`demos/scratch/bench-${process.pid}.js`], surface: '512x256', extra: { hud: '0' } }));
    await page.waitForFunction(() => window.compositor?.stats().layers[0]?.state === 'running', null, { timeout: 60_000 });
    rows.push(['dev server (HMR event)', await editLoop(page, (i) => writeFileSync(devFile, guestSource('../scenes/cubes-room.js', colour(i)))), 'kept']);
    await page.close();

    const crossFile = resolve(crossDir, `bench-${process.pid}.js`);
    const crossScene = `${crossUrl}/demos/scenes/cubes-room.js`;
    writeFileSync(crossFile, guestSource(crossScene, colour(0)));
    page = await newPage(browser, VIEWPORT);
    await page.goto(compositorUrl(appUrl, { guests: [`${crossUrl}/scratch/bench-${process.pid}.js`], surface: '512x256', extra: { hud: '0' } }));
    await page.waitForFunction(() => window.compositor?.stats().layers[0]?.state === 'running', null, { timeout: 60_000 });
    rows.push(['other origin (polling, 1 s)', await editLoop(page, (i) => writeFileSync(crossFile, guestSource(crossScene, colour(i)))), 'kept']);
    await page.close();

    page = await newPage(browser, VIEWPORT);
    await page.goto(`${appUrl}/peer.html`);
    await page.waitForFunction(() => window.peer?.stats().frames > 0, null, { timeout: 60_000 });
    const reloads: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const t0 = Date.now();
      await page.reload();
      await page.waitForFunction(() => window.peer?.stats().frames > 0, null, { timeout: 60_000 });
      reloads.push(Date.now() - t0);
    }
    rows.push(['peer page, full reload (baseline)', reloads, 'lost']);
    await page.close();

    const base = percentile(reloads, 50);
    console.log('   path                              p50 ms   p95 ms   p50 ÷ peer reload   state');
    for (const [name, times, state] of rows) {
      const p50 = percentile(times, 50);
      console.log(`   ${name.padEnd(32)} ${String(Math.round(p50)).padStart(7)}  ${String(Math.round(percentile(times, 95))).padStart(7)}   ${(p50 / base).toFixed(2).padStart(10)}x         ${state}`);
    }
  } finally {
    await browser.close();
    rmSync(resolve(devDir, `bench-${process.pid}.js`), { force: true });
    rmSync(resolve(crossDir, `bench-${process.pid}.js`), { force: true });
  }
}
