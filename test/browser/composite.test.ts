// What a user sees: guests' pixels in the composite, in both eyes, blended in order.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openCompositor, screenshotFractions, stats, waitForLayerState } from '../../tooling/driver/harness';

const app = inject('appUrl');
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const near = (actual: number[], expected: number[], tolerance = 6) =>
  expected.every((v, i) => Math.abs(actual[i]! - v) <= tolerance);

describe('compositing', () => {
  it('shows two guests in both eyes, the second blended over the first with premultiplied alpha', async () => {
    // Left eye on the page's left half, right eye on its right half (fractions of the page, from the
    // top left). Guest A: opaque red everywhere. Guest B: blue at 50 % alpha over the right half of each eye.
    const page = await openCompositor(browser, app, {
      guests: ['demos/solid.js?color=ff0000', 'demos/solid.js?color=0000ff&alpha=0.5&rect=0.5,0,0.5,1'],
      extra: { hud: '0' },
    });
    await waitForLayerState(page, 1, ['running']);
    await waitForLayerState(page, 2, ['running']);
    await page.waitForFunction(() => window.compositor.stats().layers.every((l) => l.presented > 5));
    const pixel = await screenshotFractions(page);
    for (const eyeX of [0, 0.5]) {
      const red = pixel(eyeX + 0.125, 0.5);
      const blended = pixel(eyeX + 0.375, 0.5);
      expect(near(red.slice(0, 3), [255, 0, 0]), `eye at ${eyeX}: left half ${red}`).toBe(true);
      expect(near(blended.slice(0, 3), [128, 0, 128], 8), `eye at ${eyeX}: right half ${blended}`).toBe(true);
    }
    await page.close();
  });

  it('draws layers rendered far below the output’s resolution through the layer buffer, with the same picture as straight', async () => {
    // Why not the default surface: this test compares exact pixels of the buffered path with the
    // straight one, so the buffer must be chosen on any machine. At 128×64 every layer's density is
    // far below the output's even at full scale; at 1024×512 a fast machine's guests climb to
    // scales that are drawn straight, and the test would compare straight with straight. The
    // product's defaults are covered by the other tests here and by the bench (the default demos
    // buffered). The guests: red over each eye's left three quarters, half-alpha
    // blue over its right half, half-alpha green over its bottom half; the compositor's clear
    // colour shows through in the right quarter, under the blue alone or blue and green.
    const guests = ['demos/solid.js?color=ff0000&rect=0,0,0.75,1', 'demos/solid.js?color=0000ff&alpha=0.5&rect=0.5,0,0.5,1', 'demos/solid.js?color=00ff00&alpha=0.5&rect=0,0,1,0.5'];
    // Of each eye, from its top left: quarters' centres, by the edges (the guests render at 1/8 of
    // their surface, 8 texels across an eye: soft edges, which must be as soft straight), and the right quarter.
    const points = [0.25, 0.55, 0.7, 0.9].flatMap((x) => [0.25, 0.75].map((y) => [x, y] as const));
    const seen: Record<string, { buffered: number; scale: number; pixels: number[][] }> = {};
    for (const compose of ['auto', 'direct']) {
      const page = await openCompositor(browser, app, { guests, surface: '128x64', extra: { hud: '0', compose } });
      for (const id of [1, 2, 3]) await waitForLayerState(page, id, ['running']);
      await page.waitForFunction(() => window.compositor.stats().layers.every((l) => l.presented > 5));
      const pixel = await screenshotFractions(page);
      const { budget } = await stats(page);
      seen[compose] = { buffered: budget.bufferedLayers, scale: budget.composeScale, pixels: [0, 0.5].flatMap((eyeX) => points.map(([x, y]) => pixel(eyeX + x / 2, y).slice(0, 3))) };
      await page.close();
    }
    console.log('layer buffer against straight:', JSON.stringify(seen));
    expect(seen.auto!.buffered).toBe(3);
    expect(seen.auto!.scale).toBeLessThan(1);
    expect(seen.direct!.buffered).toBe(0);
    const at = (x: number, y: number, eye = 0) => seen.auto!.pixels[eye * points.length + points.findIndex(([px, py]) => px === x && py === y)]!;
    // Premultiplied "over" on the clear colour (5, 5, 8): blue alone, then green over blue, in the right quarter.
    expect(near(at(0.9, 0.25), [3, 3, 132], 6), `blue over the clear colour: ${at(0.9, 0.25)}`).toBe(true);
    expect(near(at(0.9, 0.75, 1), [1, 129, 66], 6), `green over blue over the clear colour: ${at(0.9, 0.75, 1)}`).toBe(true);
    seen.auto!.pixels.forEach((p, i) => expect(near(p, seen.direct!.pixels[i]!, 3), `point ${i}: ${p} buffered, ${seen.direct!.pixels[i]} straight`).toBe(true));
  });

  it('places a guest rectangle where its viewport puts it (origin bottom-left, per eye)', async () => {
    const page = await openCompositor(browser, app, {
      guests: ['demos/solid.js?color=00ff00&rect=0,0,1,0.5'],
      extra: { hud: '0' },
    });
    await waitForLayerState(page, 1, ['running']);
    await page.waitForFunction(() => window.compositor.stats().layers[0]!.presented > 5);
    const pixel = await screenshotFractions(page);
    for (const eyeX of [0, 0.5]) {
      expect(near(pixel(eyeX + 0.25, 0.83).slice(0, 3), [0, 255, 0]), 'bottom half green').toBe(true);
      const top = pixel(eyeX + 0.25, 0.17);
      expect(top[1]! < 40, `top half stays background, got ${top}`).toBe(true);
    }
    await page.close();
  });

  it('renders the default demo scenes (three.js guests) into both eyes, within the page’s Content-Security-Policy', async () => {
    const problems: string[] = [];
    const page = await openCompositor(browser, app, {
      extra: { hud: '0' },
      onPage: (p) => {
        p.on('console', (m) => {
          if (/Content[- ]Security[- ]Policy|Refused to/i.test(m.text())) problems.push(m.text());
        });
        p.on('pageerror', (e) => problems.push(e.message));
      },
    });
    const s0 = await stats(page);
    expect(s0.layers.map((l) => l.url.replace(/^.*\/demos\//, ''))).toEqual(['cubes.js', 'particles.js', 'info-panel.js', 'grab.js']);
    await waitForLayerState(page, 1, ['running'], 30_000);
    await waitForLayerState(page, 2, ['running'], 30_000);
    await waitForLayerState(page, 4, ['running'], 30_000);
    // (Polled for the layers still short of it, so a failure names them, with their state and pace.)
    await expect
      .poll(async () => (await stats(page)).layers.filter((l) => l.presented <= 3).map((l) => `${l.id} ${l.state} presented ${l.presented} scale ${l.scale} pace ${l.pacing} ${l.stateReason ?? ''} ${l.error ?? ''}`), { timeout: 30_000, message: 'every default demo presents' })
      .toEqual([]);
    const pixel = await screenshotFractions(page);
    for (const eyeX of [0, 0.5]) {
      // The room's sky is not the compositor's near-black clear colour, and its floor grid,
      // cubes and particles make the eye far from uniform.
      const seen = new Set<string>();
      let notClear = 0;
      let total = 0;
      // A 40 × 40 grid over the eye, a little in from its edges.
      for (let j = 0; j < 40; j++) {
        for (let i = 0; i < 40; i++) {
          const [r, g, b] = pixel(eyeX + (0.01 + 0.48 * (i / 40)), 0.02 + 0.96 * (j / 40));
          total += 1;
          if (r! + g! + b! > 30) notClear += 1;
          seen.add(`${r! >> 4},${g! >> 4},${b! >> 4}`);
        }
      }
      expect(notClear / total, 'most of the eye is scene, not clear colour').toBeGreaterThan(0.8);
      expect(seen.size, 'the scene has detail (grid, cubes, particles)').toBeGreaterThan(8);
    }
    expect(await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'))).toMatch(/script-src 'self'/);
    expect(problems).toEqual([]);
    await page.close();
  });
});
