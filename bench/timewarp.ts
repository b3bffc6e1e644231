// Bench section: timewarp.
//  a. Reprojection cost per layer: compositor frame time with every layer reprojected (head
//     turning, timewarp on) against the same layers copied unwarped (timewarp=0, the copy path),
//     in the same run; rotation-only and depth layers. The layers are frozen while measured (they
//     keep their last frame; their guests are not asked to render), so only the compositor's own
//     work differs. Software GL is fill-bound here, so the whole frame time (1000 / fps) is what
//     the GPU work costs; main-thread ms shown alongside. Each figure: the better of two runs.
//  b. Residual error on screen for a 200°/s head turn: markers at known world directions are
//     found in captured frames and compared with where the shown pose puts them, with timewarp
//     and prediction each on and off; split by the age of the frame's pose (1 frame = the
//     issue's "one frame of guest latency").
import type { Browser, Page } from 'playwright-core';
import { compositorUrl, launchBrowser, newPage } from '../tooling/driver/harness';
import { capture, distance, markerCentroid, projectToCanvas } from '../tooling/driver/capture';

const VIEWPORT = { width: 1024, height: 512 };
const SURFACE = '1024x512';
const WARMUP_MS = 2000;
const MEASURE_MS = 4000;

/** 6b's size: small enough that the markers guest returns its frames within one frame here (software GL). */
const SMALL_VIEWPORT = { width: 512, height: 256 };
const SMALL_SURFACE = '512x256';

async function open(browser: Browser, appUrl: string, guests: string[], extra: Record<string, string>, viewport = VIEWPORT, surface = SURFACE): Promise<Page> {
  const page = await newPage(browser, viewport);
  await page.goto(compositorUrl(appUrl, { guests, surface, extra: { hud: '0', ...extra } }));
  // All running, or (a guest restarting under load) as many as are after a minute: the row says so.
  await page
    .waitForFunction((n) => window.compositor?.stats().layers.filter((l) => l.state === 'running').length === n, guests.length, { timeout: 60_000 })
    .catch(() => console.log(`    (not all ${guests.length} layers running after 60 s: measured with those that were)`));
  return page;
}

/** A steady yaw turn at `degreesPerSecond`, keyframes every 50 ms, for `seconds`. */
async function playTurn(page: Page, degreesPerSecond: number, seconds: number): Promise<void> {
  await page.evaluate(
    ([rate, duration]) => {
      const keyframes = Array.from({ length: Math.round(duration * 20) + 1 }, (_, i) => {
        const yaw = ((rate * Math.PI) / 180) * i * 0.05;
        return { t: i * 50, position: [0, 1.6, 0] as [number, number, number], orientation: [0, Math.sin(yaw / 2), 0, Math.cos(yaw / 2)] as [number, number, number, number] };
      });
      window.compositor.emulator!.play(keyframes);
    },
    [degreesPerSecond, seconds] as const,
  );
}

async function frameCost(page: Page): Promise<{ fps: number; frameMs: number }> {
  await page.waitForTimeout(WARMUP_MS);
  return page.evaluate(
    (ms) =>
      new Promise<{ fps: number; frameMs: number }>((done) => {
        const a = window.compositor.stats();
        const t = performance.now();
        const work: number[] = [];
        const timer = setInterval(() => work.push(window.compositor.stats().frameMs), 500);
        setTimeout(() => {
          clearInterval(timer);
          done({ fps: ((window.compositor.stats().frames - a.frames) * 1000) / (performance.now() - t), frameMs: work.reduce((x, y) => x + y, 0) / work.length });
        }, ms);
      }),
    MEASURE_MS,
  );
}

const fmt = (n: number, digits = 2) => n.toFixed(digits).padStart(8);

export async function benchTimewarp(appUrl: string, fixturesUrl: string): Promise<void> {
  const browser = await launchBrowser();
  try {
    console.log('\n6a. Reprojection cost per layer (head turning 90°/s; surface 1024×512, page 1024×512)');
    console.log('    baseline = the same layers copied unwarped (timewarp=0) in the same run; frame time = 1000 / fps');
    console.log('    layers  kind       timewarp  fps    frame ms  main ms   Δ frame ms per layer  share of frame');
    for (const [kind, guest] of [
      ['rotation', `${fixturesUrl}/markers.js`],
      ['depth', `${fixturesUrl}/markers.js?depth=2`],
    ] as const) {
      for (const n of [1, 2, 4]) {
        const results: Record<string, { fps: number; frameMs: number }> = {};
        for (const timewarp of ['0', '1', '0', '1']) {
          const page = await open(browser, appUrl, Array.from({ length: n }, () => guest), { timewarp });
          await page.waitForTimeout(500);
          await page.evaluate(() => window.compositor.stats().layers.forEach((l) => window.compositor.freeze(l.id)));
          await playTurn(page, 90, 30);
          const r = await frameCost(page);
          const best = results[timewarp];
          if (!best || r.fps > best.fps) results[timewarp] = r;
          await page.close();
        }
        const off = results['0']!;
        const on = results['1']!;
        const frameOff = 1000 / off.fps;
        const frameOn = 1000 / on.fps;
        const perLayer = (frameOn - frameOff) / n;
        for (const [label, r] of [['off', off], ['on', on]] as const) {
          const extra = label === 'on' ? `   ${fmt(perLayer)} ms           ${fmt((100 * (frameOn - frameOff)) / frameOn, 1)} %` : '';
          console.log(`    ${String(n).padStart(6)}  ${kind.padEnd(9)}  ${label.padEnd(8)} ${fmt(r.fps, 1)} ${fmt(1000 / r.fps)} ${fmt(r.frameMs, 3)}${extra}`);
        }
      }
    }

    console.log('\n6b. Residual error on screen, 200°/s head turn (markers every 30° round the horizon; page and surface 512×256, 256 px per eye)');
    console.log('    error = distance from where the shown pose puts each marker; pose age in compositor frames');
    const directions = Array.from({ length: 12 }, (_, i) => {
      const a = (i * Math.PI) / 6;
      return [Math.sin(a), 0, -Math.cos(a), 0] as [number, number, number, number];
    });
    const guest = `${fixturesUrl}/markers.js?p=${directions.map((d) => d.map((v) => +v.toFixed(6)).join(',')).join(';')}`;
    console.log('    (a 60 px band through the horizon is read back every 250 ms, so reading does not slow the frames measured)');
    console.log('    timewarp  prediction  age (frames)  markers  mean px   p95 px   max px');
    for (const [timewarp, prediction] of [['1', '1'], ['1', '0'], ['0', '1'], ['0', '0']] as const) {
      const page = await open(browser, appUrl, [guest], { timewarp, prediction }, SMALL_VIEWPORT, SMALL_SURFACE);
      await playTurn(page, 200, 60);
      await page.waitForTimeout(1000);
      const byAge = new Map<number, number[]>();
      for (let i = 0; i < 40; i++) {
        const c = await capture(page, { x: 0, y: SMALL_VIEWPORT.height / 2 - 30, width: SMALL_VIEWPORT.width, height: 60 });
        const layer = c.layers[0]!;
        if (layer.poseAgeMs === null || !layer.renderedViews) continue;
        const age = Math.round(layer.poseAgeMs / (1000 / 60));
        for (const view of c.views) {
          for (const d of directions) {
            const expected = projectToCanvas(view, d);
            const v = view.viewport;
            const inside = expected[0] > v.x + 40 && expected[0] < v.x + v.width - 40 && expected[1] > v.y + 40 && expected[1] < v.y + v.height - 40;
            if (!inside || !Number.isFinite(expected[0])) continue;
            const got = markerCentroid(c, expected, 35);
            if (got.weight < 1000) continue;
            const list = byAge.get(age) ?? [];
            list.push(distance(got.at, expected));
            byAge.set(age, list);
          }
        }
        await page.waitForTimeout(250);
      }
      await page.close();
      for (const [age, errors] of [...byAge.entries()].sort((a, b) => a[0] - b[0])) {
        errors.sort((a, b) => a - b);
        const mean = errors.reduce((x, y) => x + y, 0) / errors.length;
        const p95 = errors[Math.min(errors.length - 1, Math.floor(errors.length * 0.95))]!;
        console.log(`    ${(timewarp === '1' ? 'on' : 'off').padEnd(8)}  ${(prediction === '1' ? 'on' : 'off').padEnd(10)}  ${String(age).padStart(12)}  ${String(errors.length).padStart(7)} ${fmt(mean)} ${fmt(p95)} ${fmt(errors[errors.length - 1]!)}`);
      }
    }
    const oneFrame = ((200 * Math.PI) / 180) * (1 / 60);
    console.log(`    (for scale: one frame of a 200°/s turn is ${((200 / 60)).toFixed(2)}°, about ${(128 * Math.tan(oneFrame)).toFixed(1)} px at the centre of a 256 px eye)`);
  } finally {
    await browser.close();
  }
}
