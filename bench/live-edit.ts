// Bench section: live editing. Save → new pixels on screen, over 20 edits, for a three.js guest
// (the cubes room, its sky colour changed by each edit) at the product's defaults (a 1280×720
// page, the default surface), on the two paths a change can take: the dev server's file watcher
// (Vite plugin + HMR event carrying the text) and polling a guest on another origin. Each edit is
// vetted before it shows (load, setup with the carried state, preview frame, the frame-rate
// judgement, restore at the swap). Per edit: the time from the save to the first captured frame
// showing its sky, the compositor's own per-phase figures for it (stats().layers[].reload.last.
// phases), whether it ran in a warm staging worker, and whether the state was carried (the
// guest's frame count, read by snapshot, never goes back). Baseline, in the same run: the peer
// page (the same room, plain three.js on the main thread) reloaded in full, from the reload to
// its first frame; it loses its state, and the time Vite takes to notice a save and tell the
// page is not in that figure.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { compositorUrl, launchBrowser, newPage, TEST_VIEWPORT } from '../tooling/driver/harness';
import { eyePixel } from '../tooling/driver/capture';
import { RELOAD_PHASES, type ReloadPhases } from '../compositor/live-edit/reload-phases';

const EDITS = 20;
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

/** Near the top of the left eye: sky. */
function sky(page: Page): Promise<number[]> {
  return eyePixel(page, 0, 0.5, 0.97);
}

const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) <= 16);

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

interface Edit {
  ms: number;
  phases: ReloadPhases;
  /** The guest's frame count after the swap was at least what it was at the save. */
  stateKept: boolean;
}

async function frameCount(page: Page): Promise<number> {
  return ((await page.evaluate(() => window.compositor.snapshot(1))) as { frames?: number }).frames ?? -1;
}

async function editLoop(page: Page, save: (i: number) => void): Promise<Edit[]> {
  const edits: Edit[] = [];
  for (let i = 1; i <= EDITS; i++) {
    const target = colour(i);
    // Wait for a warm staging worker as a user's pause between saves would (up to 15 s: the first comes after 10 s of quiet).
    await page.waitForFunction(() => window.compositor.stats().warmStaging.ready, null, { timeout: 15_000 }).catch(() => undefined);
    const before = await frameCount(page);
    const t0 = Date.now();
    save(i);
    for (;;) {
      if (near(await sky(page), target)) break;
      if (Date.now() - t0 > 30_000) {
        const l = await page.evaluate(() => window.compositor.stats().layers[0]!);
        throw new Error(`edit ${i} never showed (sky ${await sky(page)}, want ${target}): ${JSON.stringify({ state: l.state, version: l.version, error: l.error, reload: l.reload, latency: l.medianLatencyMs, pacing: l.pacing })}`);
      }
      await page.waitForTimeout(10);
    }
    const ms = Date.now() - t0;
    // Let the vetting of this one end before the next save (saves arrive one at a time here).
    await page.waitForFunction(() => window.compositor.stats().layers[0]!.reload.vetting === null, null, { timeout: 30_000 });
    const last = await page.evaluate(() => window.compositor.stats().layers[0]!.reload.last);
    edits.push({ ms, phases: last?.phases ?? {}, stateKept: (await frameCount(page)) >= before && before > 0 });
  }
  return edits;
}

/** The median of each phase over the edits (those that have it), and the share that ran warm. */
function phaseLine(edits: Edit[]): string {
  const parts: string[] = [];
  for (const name of [...RELOAD_PHASES, 'total'] as const) {
    const values = edits.map((e) => e.phases[name]).filter((v): v is number => v !== undefined);
    if (values.length > 0) parts.push(`${name} ${Math.round(percentile(values, 50))}`);
  }
  const warm = edits.filter((e) => e.phases.warm).length;
  return `${parts.join(' · ')} (ms, medians); warm worker ${warm}/${edits.length}`;
}

export async function benchLiveEdit(appUrl: string, crossUrl: string): Promise<void> {
  const devDir = resolve(root, 'demos/scratch');
  const crossDir = resolve(root, 'test/fixtures/scratch');
  mkdirSync(devDir, { recursive: true });
  mkdirSync(crossDir, { recursive: true });
  const browser = await launchBrowser();
  try {
    console.log(`\n7. Live editing: save → new pixels on screen, ${EDITS} edits of a three.js guest (default surface, page ${TEST_VIEWPORT.width}×${TEST_VIEWPORT.height})`);
    const rows: [string, Edit[]][] = [];

    const devFile = resolve(devDir, `bench-${process.pid}.js`);
    writeFileSync(devFile, guestSource('../scenes/cubes-room.js', colour(0)));
    let page = await newPage(browser, TEST_VIEWPORT);
    await page.goto(compositorUrl(appUrl, { guests: [`demos/scratch/bench-${process.pid}.js`], extra: { hud: '0' } }));
    await page.waitForFunction(() => window.compositor?.stats().layers[0]?.state === 'running', null, { timeout: 60_000 });
    rows.push(['dev server (HMR event)', await editLoop(page, (i) => writeFileSync(devFile, guestSource('../scenes/cubes-room.js', colour(i))))]);
    await page.close();

    const crossFile = resolve(crossDir, `bench-${process.pid}.js`);
    const crossScene = `${crossUrl}/demos/scenes/cubes-room.js`;
    writeFileSync(crossFile, guestSource(crossScene, colour(0)));
    page = await newPage(browser, TEST_VIEWPORT);
    await page.goto(compositorUrl(appUrl, { guests: [`${crossUrl}/scratch/bench-${process.pid}.js`], extra: { hud: '0' } }));
    await page.waitForFunction(() => window.compositor?.stats().layers[0]?.state === 'running', null, { timeout: 60_000 });
    rows.push(['other origin (polling, 250 ms)', await editLoop(page, (i) => writeFileSync(crossFile, guestSource(crossScene, colour(i))))]);
    await page.close();

    page = await newPage(browser, TEST_VIEWPORT);
    await page.goto(`${appUrl}/peer.html`);
    await page.waitForFunction(() => window.peer?.stats().frames > 0, null, { timeout: 60_000 });
    const reloads: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const t0 = Date.now();
      await page.reload();
      await page.waitForFunction(() => window.peer?.stats().frames > 0, null, { timeout: 60_000 });
      reloads.push(Date.now() - t0);
    }
    await page.close();

    const base = percentile(reloads, 50);
    console.log('   path                              p50 ms   p95 ms   p50 ÷ peer   p95 ÷ peer   state carried');
    const row = (name: string, times: number[], state: string) =>
      console.log(`   ${name.padEnd(32)} ${String(Math.round(percentile(times, 50))).padStart(7)}  ${String(Math.round(percentile(times, 95))).padStart(7)}   ${(percentile(times, 50) / base).toFixed(2).padStart(8)}x   ${(percentile(times, 95) / base).toFixed(2).padStart(8)}x   ${state}`);
    for (const [name, edits] of rows) row(name, edits.map((e) => e.ms), `${edits.filter((e) => e.stateKept).length}/${edits.length}`);
    row('peer page, full reload (baseline)', reloads, 'lost');
    for (const [name, edits] of rows) console.log(`   ${name}: ${phaseLine(edits)}`);
  } finally {
    await browser.close();
    rmSync(resolve(devDir, `bench-${process.pid}.js`), { force: true });
    rmSync(resolve(crossDir, `bench-${process.pid}.js`), { force: true });
  }
}
