// Input and focus across guests: exactly one guest is focused and gets the controllers and their
// events; the others render on 'visible-blurred' and get nothing. Pointing at another layer's
// content and pulling the trigger moves focus, and that press is the compositor's (no guest sees
// it). While the user types in the HUD's URL box, every guest is blurred.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { canvasToPage, launchBrowser, openCompositor, stats, waitForLayerState } from '../../tooling/driver/harness';
import { capture } from '../../tooling/driver/capture';

const app = inject('appUrl');
const cross = inject('crossUrl');
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Record {
  events: string[];
  visibility: string[];
  sources: { handedness: string; targetRayMode: string; profiles: string[]; ray: number[]; pad: { mapping: string; pressed: boolean[]; axes: number[] } | null }[];
  framesWithSources: number;
  blurredInput: number;
}
const record = (page: Page, id: number) => page.evaluate((i) => window.compositor.snapshot(i), id) as Promise<Record>;

/** Moves the emulator's mouse over fraction (fx, fy) of the left eye, origin bottom-left. */
async function aimAt(page: Page, fx: number, fy: number): Promise<void> {
  const vp = (await capture(page, { x: 0, y: 0, width: 1, height: 1 })).views[0]!.viewport;
  await page.mouse.move(...(await canvasToPage(page, vp.x + fx * vp.width, vp.y + fy * vp.height)));
}

/** Pulls the emulated controller's trigger (F) and lets it go, a few frames apart. */
async function pull(page: Page): Promise<void> {
  await page.keyboard.down('f');
  await page.waitForTimeout(150);
  await page.keyboard.up('f');
  await page.waitForTimeout(150);
}

describe('input focus', () => {
  it('moves focus by pointing at a layer’s content and pulling the trigger; only the focused guest gets events', async () => {
    // Red fills the view (layer 1, under); green covers the left half of each eye (layer 2, over).
    const page = await openCompositor(browser, app, {
      guests: [`${cross}/input-recorder.js?color=ff0000`, `${cross}/input-recorder.js?color=00ff00&rect=0,0,0.5,1`],
      extra: { hud: '0' },
    });
    await waitForLayerState(page, 1, ['running']);
    await waitForLayerState(page, 2, ['running']);
    // The first guest to run took focus (either may start first): exactly one is visible.
    await expect.poll(async () => (await stats(page)).focused).not.toBeNull();
    const first = await stats(page);
    expect(first.layers.filter((l) => l.visibility === 'visible').map((l) => l.id)).toEqual([first.focused]);
    // The API moves focus: to layer 1, to begin from.
    await page.evaluate(() => window.compositor.focus(1));
    await expect.poll(async () => (await stats(page)).layers.map((l) => l.visibility)).toEqual(['visible', 'visible-blurred']);

    // On green (layer 2's content): the press moves focus there, and no guest sees it.
    await aimAt(page, 0.25, 0.5);
    await expect.poll(async () => (await record(page, 1)).framesWithSources, { message: 'the focused guest gets the controller' }).toBeGreaterThan(0);
    await pull(page);
    await expect.poll(async () => (await stats(page)).focused).toBe(2);
    expect((await stats(page)).layers.map((l) => l.visibility)).toEqual(['visible-blurred', 'visible']);
    await expect.poll(async () => (await record(page, 1)).visibility.at(-1)).toBe('visible-blurred');
    // A press on the focused layer is its select: start, select, end, in order, from the right hand.
    await pull(page);
    await expect.poll(async () => (await record(page, 2)).events).toEqual(['selectstart:right', 'select:right', 'selectend:right']);
    const two = await record(page, 2);
    expect(two.visibility.at(-1)).toBe('visible');
    expect(two.sources[0]).toMatchObject({ handedness: 'right', targetRayMode: 'tracked-pointer' });
    expect((await record(page, 1)).events, 'the blurred guest got no events').toEqual([]);

    // On the right half, green is transparent: red (layer 1) is the topmost content there.
    await aimAt(page, 0.75, 0.5);
    await pull(page);
    await expect.poll(async () => (await stats(page)).focused).toBe(1);
    await pull(page);
    await expect.poll(async () => (await record(page, 1)).events).toEqual(['selectstart:right', 'select:right', 'selectend:right']);
    expect((await record(page, 2)).events, 'nothing more for the now blurred guest').toHaveLength(3);
    // The left controller's trigger picks too: aimed at green (left of centre), it moves focus back.
    await page.evaluate(() => window.compositor.emulator!.input('left', { aim: [-0.5, 1.6, -2] }));
    await page.waitForTimeout(300);
    await page.evaluate(() => window.compositor.emulator!.input('left', { trigger: true }));
    await page.waitForTimeout(150);
    await page.evaluate(() => window.compositor.emulator!.input('left', { trigger: false }));
    await expect.poll(async () => (await stats(page)).focused).toBe(2);
    await page.waitForTimeout(300);
    expect((await record(page, 2)).events, 'that press is the compositor’s too').toHaveLength(3);
    for (const id of [1, 2]) expect((await record(page, id)).blurredInput, `layer ${id}: no input while blurred`).toBe(0);

    // The API refuses an unknown layer.
    expect(await page.evaluate(() => { try { window.compositor.focus(99); return 'no error'; } catch (e) { return (e as Error).message; } })).toMatch(/no layer 99/);
    await page.close();
  });

  it('gives the focused guest both emulated controllers: their squeeze, thumbstick and scripted input', async () => {
    const page = await openCompositor(browser, app, { guests: [`${cross}/input-recorder.js?color=ff0000`], extra: { hud: '0' } });
    await waitForLayerState(page, 1, ['running']);
    await expect.poll(async () => (await stats(page)).focused).toBe(1);
    // The right hand by the mouse and keys: G squeezes, the arrow keys tilt its thumbstick.
    await aimAt(page, 0.5, 0.5);
    await page.keyboard.down('g');
    await page.keyboard.down('ArrowUp');
    await expect.poll(async () => (await record(page, 1)).sources.find((s) => s.handedness === 'right')?.pad).toEqual({ mapping: 'xr-standard', pressed: [false, true, false, false], axes: [0, 0, 0, -1] });
    await page.keyboard.up('ArrowUp');
    await page.keyboard.up('g');
    // The left hand joins on first use: a scripted aim and trigger.
    await page.evaluate(() => window.compositor.emulator!.input('left', { aim: [-0.5, 1.6, -2], trigger: true }));
    await page.waitForTimeout(150);
    await page.evaluate(() => window.compositor.emulator!.input('left', { trigger: false }));
    await expect.poll(async () => (await record(page, 1)).events).toEqual(['squeezestart:right', 'squeeze:right', 'squeezeend:right', 'selectstart:left', 'select:left', 'selectend:left']);
    const sources = (await record(page, 1)).sources;
    expect(sources.map((s) => s.handedness).sort()).toEqual(['left', 'right']);
    expect(sources[0]!.profiles).toEqual(['generic-trigger-squeeze-thumbstick']);
    // The left hand is low and left of the head.
    expect(sources.find((s) => s.handedness === 'left')!.ray[0]).toBeLessThan(0);
    expect(await page.evaluate(() => { try { window.compositor.emulator!.input('middle' as 'left', {}); return 'no error'; } catch (e) { return (e as Error).message; } })).toMatch(/hand must be 'left' or 'right'/);
    await page.close();
  });

  it('blurs every guest while the user types in the HUD’s URL box', async () => {
    const page = await openCompositor(browser, app, { guests: [`${cross}/input-recorder.js?color=ff0000`] });
    await waitForLayerState(page, 1, ['running']);
    await expect.poll(async () => (await stats(page)).layers[0]!.visibility).toBe('visible');
    await page.focus('.hud-load-url');
    await expect.poll(async () => (await stats(page)).layers[0]!.visibility).toBe('visible-blurred');
    expect((await stats(page)).trustedUi).toBe(true);
    await expect.poll(async () => (await record(page, 1)).visibility).toEqual(['visible', 'visible-blurred']);
    await page.keyboard.type('abc');
    await page.locator('.hud-load-url').blur();
    await expect.poll(async () => (await stats(page)).layers[0]!.visibility).toBe('visible');
    await expect.poll(async () => (await record(page, 1)).visibility).toEqual(['visible', 'visible-blurred', 'visible']);
    expect((await record(page, 1)).blurredInput).toBe(0);
    await page.close();
  });
});
