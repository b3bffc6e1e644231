// Guests written as standard three.js WebXR code (renderer.xr.setSession(ctx.session),
// setAnimationLoop, getController): the interactive demo grabbed and moved with the emulated
// controller (its state and its pixels), carried across a hot reload; and a throw in a WebXR
// guest's animation loop is a crash, restarted by the supervisor like any other.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openCompositor, stats, waitForLayerState } from '../../tooling/driver/harness';
import { capture, projectToCanvas } from '../../tooling/driver/capture';

const app = inject('appUrl');
const cross = inject('crossUrl');
const root = resolve(import.meta.dirname, '../..');
const devDir = resolve(root, 'demos/scratch');
let browser: Browser;
beforeAll(async () => {
  mkdirSync(devDir, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  rmSync(devDir, { recursive: true, force: true });
});

type Vec3 = [number, number, number];
const positions = async (page: Page) => ((await page.evaluate(() => window.compositor.snapshot(1))) as { positions: Vec3[] }).positions;
const distance = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** The colour presented where world point `p` projects in the left eye. */
async function colourAt(page: Page, p: Vec3): Promise<number[]> {
  const probe = await capture(page, { x: 0, y: 0, width: 1, height: 1 });
  const [x, y] = projectToCanvas(probe.views[0]!, [...p, 1]);
  const c = await capture(page, { x: Math.floor(x), y: Math.floor(y), width: 1, height: 1 });
  return Array.from(c.pixels.subarray(0, 3));
}
/** Something drawn there: brighter than the compositor's near-black clear colour. */
const drawn = (rgb: number[]) => Math.max(...rgb) > 40;

describe('WebXR-shaped guests', () => {
  it('the interactive demo: a shape grabbed with the emulated controller moves with it, and stays where it was put across a hot reload', async () => {
    const name = `grab-${process.pid}.js`;
    const file = resolve(devDir, name);
    copyFileSync(resolve(root, 'demos/grab.js'), file);
    const page = await openCompositor(browser, app, { guests: [`demos/scratch/${name}`], extra: { hud: '0' } });
    await waitForLayerState(page, 1, ['running']);
    const start = (await positions(page))[0]!;
    expect(distance(start, [-0.6, 1.4, -1.2])).toBeLessThan(1e-6);
    await expect.poll(() => colourAt(page, start).then(drawn), { message: 'the first shape is drawn where it starts' }).toBe(true);

    // Aim the right controller at it, hold the trigger, swing the aim up and right, let go.
    const to: Vec3 = [0.2, 1.7, -1.2];
    await page.evaluate((at) => window.compositor.emulator!.input('right', { aim: at }), start);
    await page.waitForTimeout(300);
    await page.evaluate(() => window.compositor.emulator!.input('right', { trigger: true }));
    await page.waitForTimeout(300);
    await page.evaluate((at) => window.compositor.emulator!.input('right', { aim: at }), to);
    await page.waitForTimeout(600);
    await page.evaluate(() => window.compositor.emulator!.input('right', { trigger: false, aim: null }));
    // Held at its distance along the ray: it ends near where the ray now points, far from the start.
    await expect.poll(async () => distance((await positions(page))[0]!, start), { message: 'the shape moved' }).toBeGreaterThan(0.4);
    const moved = (await positions(page))[0]!;
    expect(distance(moved, to), `moved to ${moved.map((v) => v.toFixed(2))}`).toBeLessThan(0.25);
    await expect.poll(() => colourAt(page, moved).then(drawn), { message: 'drawn where it was put' }).toBe(true);
    expect(drawn(await colourAt(page, start)), 'nothing left where it was').toBe(false);

    // A hot reload (the file saved with a change): the new version takes over with the shapes where they were.
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n// edited\n`);
    await expect.poll(async () => (await stats(page)).layers[0]!.version, { timeout: 20_000 }).toBe(2);
    expect(distance((await positions(page))[0]!, moved)).toBeLessThan(1e-3);
    await expect.poll(() => colourAt(page, moved).then(drawn)).toBe(true);
    await page.close();
  });

  it('a throw in a WebXR guest’s animation loop is a crash: restarted, then quarantined, with its reason', async () => {
    const page = await openCompositor(browser, app, { guests: [`${cross}/webxr-throw.js`], extra: { hud: '0' } });
    const end = await waitForLayerState(page, 1, ['quarantined'], 30_000);
    expect(end.restarts).toBeGreaterThan(0);
    expect(end.error).toMatch(/^frame failed for .*webxr-throw\.js: animation loop exploded on purpose/);
    await page.close();
  });
});
