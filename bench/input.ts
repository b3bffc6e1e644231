// Bench section: input. The trigger pressed in the emulator (emulator.input, on the page's
// clock) → the select event in the focused guest's frame (the frame's request time, the same
// clock): ms and display frames, p50 and p95 over 20 presses, alone and beside the default demos
// at the defaults (1280×720, default surface). And the pick's cost: the pure part (which layer a
// ray meets, 16 layers) in Node, and the texel read-back a press costs, in the page.
import type { Page } from 'playwright-core';
import { compositorUrl, launchBrowser, newPage, TEST_VIEWPORT } from '../tooling/driver/harness';
import { pickLayer, type PickTarget } from '../compositor/input/pick';
import { DEFAULT_GUESTS } from '../compositor/url-params';
import { mat4 } from 'gl-matrix';

const PRESSES = 20;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

async function pressLatencies(page: Page, id: number): Promise<number[]> {
  await page.evaluate(() => window.compositor.emulator!.input('right', { aim: [0, 1.6, -2] }));
  await page.waitForTimeout(500);
  const pressedAt: number[] = [];
  for (let i = 0; i < PRESSES; i++) {
    pressedAt.push(await page.evaluate(() => {
      const t = performance.now();
      window.compositor.emulator!.input('right', { trigger: true });
      return t;
    }));
    await page.waitForTimeout(150);
    await page.evaluate(() => window.compositor.emulator!.input('right', { trigger: false }));
    await page.waitForTimeout(150);
  }
  await page.waitForTimeout(500);
  const seen = (await page.evaluate((i) => window.compositor.snapshot(i), id)) as { timings: { type: string; frameTime: number }[] };
  const starts = seen.timings.filter((t) => t.type === 'selectstart').map((t) => t.frameTime);
  return pressedAt.map((t) => (starts.find((s) => s >= t) ?? NaN) - t).filter(Number.isFinite);
}

export async function benchInput(appUrl: string, crossUrl: string): Promise<void> {
  console.log('\n9. Input: trigger pressed in the emulator → select event in the focused guest\'s frame (page 1280×720, default surface)');
  const recorder = `${crossUrl}/input-recorder.js?color=ff0000&rect=0.4,0.4,0.2,0.2`;
  for (const [name, guests] of [['alone', [recorder]], ['beside the default demos', [...DEFAULT_GUESTS, recorder]]] as const) {
    const browser = await launchBrowser();
    const page = await newPage(browser, TEST_VIEWPORT);
    await page.goto(compositorUrl(appUrl, { guests: [...guests], extra: { hud: '0' } }));
    const id = guests.length;
    await page.waitForFunction((i) => window.compositor?.stats().layers.find((l) => l.id === i)?.state === 'running', id, { timeout: 60_000 });
    await page.evaluate((i) => window.compositor.focus(i), id);
    await page.waitForTimeout(1000);
    const ms = await pressLatencies(page, id);
    const interval = 1000 / 60;
    console.log(`   ${name.padEnd(26)} p50 ${pct(ms, 0.5).toFixed(1)} ms (${(pct(ms, 0.5) / interval).toFixed(1)} frames)  p95 ${pct(ms, 0.95).toFixed(1)} ms (${(pct(ms, 0.95) / interval).toFixed(1)} frames)  presses seen ${ms.length}/${PRESSES}`);
    await browser.close();
  }

  // The pick, pure part: 16 layers (8 quads the ray misses, 8 projection layers with empty pixels).
  const view = { eye: 'left' as const, projectionMatrix: mat4.perspective(new Float32Array(16), Math.PI / 2, 1, 0.1, 100) as Float32Array, viewMatrix: mat4.create() as Float32Array, viewport: { x: 0, y: 0, width: 512, height: 512 } };
  const targets: PickTarget[] = Array.from({ length: 16 }, (_, i) =>
    i % 2 ? { id: i, declaration: { type: 'quad', position: [5 + i, 0, -2], width: 1, height: 1 }, views: null, alphaAt: () => null } : { id: i, declaration: { type: 'projection' }, views: [view], alphaAt: () => 0 },
  );
  const ray = { origin: [0, 0, 0], direction: [0, 0, -1] };
  const n = 20_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) pickLayer(ray, 2.5, targets);
  console.log(`   the pick, 16 layers (Node, pure): ${(((performance.now() - t0) / n) * 1000).toFixed(1)} µs per press (it runs on a trigger press only, not every frame)`);

  // The read-back a press costs per projection layer tried: one texel of a 1024×512 layer texture.
  const browser = await launchBrowser();
  const page = await newPage(browser, TEST_VIEWPORT);
  await page.goto(compositorUrl(appUrl, { guests: [], extra: { hud: '0' } }));
  const readMs = await page.evaluate(async (modulePath) => {
    // The compositor's own module, as the dev server serves it to the page.
    const { TexelReader } = (await import(modulePath)) as typeof import('../compositor/gl/texel-reader');
    const gl = new OffscreenCanvas(16, 16).getContext('webgl2')!;
    const texture = gl.createTexture()!;
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, 1024, 512, 0, gl.RGBA, gl.UNSIGNED_BYTE, null);
    const reader = new TexelReader(gl);
    const entry = { texture, width: 1024, height: 512 };
    for (let i = 0; i < 10; i++) reader.read(entry, i, i);
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      // Draw something first, as a frame would: the read waits for queued GPU work.
      gl.clear(gl.COLOR_BUFFER_BIT);
      const t = performance.now();
      reader.read(entry, (i * 37) % 1024, (i * 11) % 512);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { p50: times[50]!, p95: times[95]! };
  }, '/compositor/gl/texel-reader.ts');
  console.log(`   texel read-back per projection layer tried (page, software GL): p50 ${readMs.p50.toFixed(2)} ms, p95 ${readMs.p95.toFixed(2)} ms`);
  await browser.close();
}
