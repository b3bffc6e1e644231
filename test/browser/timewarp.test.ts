// Timewarp as a user sees it: a guest's frame rendered for one head pose, shown at another,
// lands where the new pose puts the world, to within half a pixel (512 px per eye). With
// timewarp off it misses by the amount the pose change predicts. Quad and cylinder layers stay
// at their world pose while the head moves.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openCompositor, waitForLayerState } from '../../tooling/driver/harness';
import { capture, distance, framesPass, markerCentroid, polygonCentroid, projectToCanvas, regionCentroid, yawPitchRoll, type Captured } from '../../tooling/driver/capture';

const app = inject('appUrl');
const fixtures = inject('crossUrl'); // test/fixtures, served with CORS
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const EYE_HEIGHT = 1.6;
const POSE_A = { position: [0, EYE_HEIGHT, 0] as [number, number, number], orientation: yawPitchRoll(0) };
/** 7° left, 4° down, 3° roll. */
const POSE_B = { position: [0, EYE_HEIGHT, 0] as [number, number, number], orientation: yawPitchRoll(0.122, -0.07, 0.052) };
const HALF_PIXEL = 0.5;

type Point = [number, number, number, number];
/** World directions (w = 0) that stay inside both eyes at both poses. */
const DIRECTIONS: Point[] = [
  [-0.3, 0.25, -1, 0],
  [0.28, -0.2, -1, 0],
  [0.05, 0.02, -1, 0],
  [-0.25, -0.3, -1, 0],
];

const markersUrl = (points: Point[], extra = '') => `${fixtures}/markers.js?p=${points.map((p) => p.join(',')).join(';')}${extra}`;

async function open(guest: string, extra: Record<string, string> = {}): Promise<Page> {
  const page = await openCompositor(browser, app, {
    guests: [guest],
    // Exact pixels: markers measured to half a pixel need the guest's full surface and the
    // compositor's full output, whatever this machine can afford (adapt=0: no dynamic resolution).
    surface: '1024x512', // 512 × 512 per eye
    viewport: { width: 1024, height: 512 },
    extra: { hud: '0', adapt: '0', ...extra },
  });
  await waitForLayerState(page, 1, ['running']);
  return page;
}

async function setPose(page: Page, pose: { position: [number, number, number]; orientation: [number, number, number, number] }): Promise<void> {
  await page.evaluate(([p, q]) => window.compositor.emulator!.setPose(p, q), [pose.position, pose.orientation] as const);
}

/** Shows pose A until the layer's frame on screen was rendered for it, then stops asking the guest for frames. */
async function renderAtAThenFreeze(page: Page): Promise<void> {
  await setPose(page, POSE_A);
  const before = await page.evaluate(() => window.compositor.stats().layers[0]!.presented);
  await page.waitForFunction((n) => window.compositor.stats().layers[0]!.presented >= n + 3, before);
  await page.evaluate(() => window.compositor.freeze(1));
  await framesPass(page, 3); // a request already in flight (also for pose A) lands meanwhile
}

/** For each eye and point: where the current pose projects it, where the rendered pose did, and the measured marker. */
function measureMarkers(c: Captured, points: Point[]) {
  const rendered = c.layers[0]!.renderedViews!;
  return c.views.flatMap((view, eye) =>
    points.map((p) => {
      const now = projectToCanvas(view, p);
      // Where the frame has it: the rendered view's projection, placed in this eye's viewport.
      const r = rendered[eye]!;
      const inSurface = projectToCanvas({ ...r, viewport: { x: 0, y: 0, width: r.viewport.width, height: r.viewport.height } }, p);
      const then: [number, number] = [view.viewport.x + (inSurface[0] / r.viewport.width) * view.viewport.width, view.viewport.y + (inSurface[1] / r.viewport.height) * view.viewport.height];
      return { eye, now, then, predictedMiss: distance(now, then) };
    }),
  );
}

describe('timewarp', () => {
  it('puts markers rendered at pose A where pose B projects them, within 0.5 px; with timewarp=0 they miss by the predicted amount', async () => {
    const page = await open(markersUrl(DIRECTIONS));
    await renderAtAThenFreeze(page);
    await setPose(page, POSE_B);
    await framesPass(page, 2);
    const warped = await capture(page);
    const rendered = warped.layers[0]!.renderedViews!;
    expect(rendered[0]!.viewMatrix[0], 'frame on screen was rendered at pose A (no rotation)').toBeCloseTo(1, 6);
    expect(rendered[0]!.viewMatrix[12], 'frame on screen was rendered at pose A (left eye)').toBeCloseTo(0.0315, 3);
    const rows: string[] = [];
    let worstOn = 0;
    for (const m of measureMarkers(warped, DIRECTIONS)) {
      const got = markerCentroid(warped, m.now, 12);
      const error = distance(got.at, m.now);
      worstOn = Math.max(worstOn, error);
      rows.push(`eye ${m.eye}: pose B at (${m.now.map((v) => v.toFixed(2)).join(', ')}), measured (${got.at.map((v) => v.toFixed(2)).join(', ')}) → ${error.toFixed(3)} px (uncorrected miss ${m.predictedMiss.toFixed(1)} px)`);
      expect(got.weight, 'a marker is there').toBeGreaterThan(1000);
      expect(m.predictedMiss, 'the turn moves the marker far').toBeGreaterThan(20);
    }
    console.info(`timewarp on, pose A → B:\n  ${rows.join('\n  ')}`);
    expect(worstOn).toBeLessThanOrEqual(HALF_PIXEL);

    await page.evaluate(() => window.compositor.setTimewarp(false));
    await framesPass(page, 2);
    const plain = await capture(page);
    let worstOff = 0;
    for (const m of measureMarkers(plain, DIRECTIONS)) {
      const got = markerCentroid(plain, m.then, 12);
      worstOff = Math.max(worstOff, distance(got.at, m.then));
      // It missed pose B's position by what the math predicts.
      expect(Math.abs(distance(got.at, m.now) - m.predictedMiss)).toBeLessThanOrEqual(HALF_PIXEL);
    }
    console.info(`timewarp off: markers stay where pose A put them (worst ${worstOff.toFixed(3)} px from there)`);
    expect(worstOff).toBeLessThanOrEqual(HALF_PIXEL);
    expect(await page.evaluate(() => window.compositor.stats().timewarp.enabled)).toBe(false);
    await page.close();
  });

  it('shows the fallback where the guest rendered nothing (clamp: its edge; transparent: what is below), and overscan hides the edge', async () => {
    const turnLeft = { position: [0, EYE_HEIGHT, 0] as [number, number, number], orientation: yawPitchRoll(0.12) }; // ~7°: ~30 px revealed on the left
    const clearColour = [5, 5, 8]; // the compositor's background, (0.02, 0.02, 0.03)
    const results: Record<string, number[]> = {};
    for (const [name, guest, extra] of [
      ['clamp', markersUrl(DIRECTIONS), {}],
      ['transparent', markersUrl(DIRECTIONS), { fallback: 'transparent' }],
      ['transparent + overscan 0.2', markersUrl(DIRECTIONS, '&overscan=0.2'), { fallback: 'transparent' }],
    ] as const) {
      const page = await open(guest, extra);
      await renderAtAThenFreeze(page);
      await setPose(page, turnLeft);
      await framesPass(page, 2);
      const c = await capture(page);
      // A pixel near the left edge of each eye, inside the revealed strip.
      const px = (x: number) => Array.from(c.pixels.subarray((256 * c.width + x) * 4, (256 * c.width + x) * 4 + 3));
      results[name] = [...px(8), ...px(520)];
      if (name.includes('overscan')) {
        // Markers still land within half a pixel when the guest renders wider than the view.
        for (const m of measureMarkers(c, DIRECTIONS)) expect(distance(markerCentroid(c, m.now, 12).at, m.now)).toBeLessThanOrEqual(HALF_PIXEL);
      }
      await page.close();
    }
    console.info(`left-edge pixels after a 7° turn (left eye, right eye): ${JSON.stringify(results)}`);
    expect(results.clamp).toEqual([0, 0, 0, 0, 0, 0]); // the guest's black edge, stretched
    expect(results.transparent).toEqual([...clearColour, ...clearColour]);
    expect(results['transparent + overscan 0.2']).toEqual([0, 0, 0, 0, 0, 0]); // rendered, so never revealed
  });

  it('asks guests to render for the pose predicted at the time their frame will be shown (velocity extrapolation)', async () => {
    // A steady 90°/s turn: where the head is at any time is known, so each frame's render pose can be
    // checked against the pose `predictedMs` after the pose its request started from.
    const rate = Math.PI / 2 / 1000; // rad per ms
    const yawOf = (view: number[]) => Math.atan2(view[2]!, view[10]!); // turn left is positive
    const wrap = (a: number) => Math.atan2(Math.sin(a), Math.cos(a));
    const summary: Record<string, string> = {};
    for (const prediction of ['1', '0']) {
      // The render poses asked for are read from the captured frame: the defaults serve.
      const page = await openCompositor(browser, app, { guests: [markersUrl(DIRECTIONS)], extra: { hud: '0', prediction } });
      await waitForLayerState(page, 1, ['running']);
      await page.evaluate(() => {
        const keyframes = Array.from({ length: 201 }, (_, i) => {
          const yaw = (Math.PI / 2) * (i * 0.05);
          return { t: i * 50, position: [0, 1.6, 0] as [number, number, number], orientation: [0, Math.sin(yaw / 2), 0, Math.cos(yaw / 2)] as [number, number, number, number] };
        });
        window.compositor.emulator!.play(keyframes, { loop: false });
      });
      await framesPass(page, 20);
      await page.waitForFunction(() => window.compositor.stats().layers[0]!.presented > 10);
      let worst = 0;
      let lagSum = 0;
      const ahead: number[] = [];
      // Ten frames with the layer's frame on screen (at the defaults a guest may be paced, and a
      // frame late now and then: such a capture has no rendered views to compare, and is skipped).
      for (let i = 0, tries = 0; i < 10 && tries < 60; tries++) {
        const c = await capture(page, { x: 0, y: 0, width: 1, height: 1 });
        const l = c.layers[0]!;
        if (!l.renderedViews) continue;
        i++;
        const rendered = yawOf(l.renderedViews[0]!.viewMatrix);
        const shown = yawOf(c.views[0]!.viewMatrix);
        // The pose its request started from was poseAgeMs ago; it was asked for predictedMs after that.
        const expected = shown - rate * (l.poseAgeMs! - l.predictedMs!);
        worst = Math.max(worst, Math.abs(wrap(rendered - expected)));
        lagSum += Math.abs(wrap(shown - rendered));
        ahead.push(l.predictedMs!);
        await page.waitForTimeout(50);
      }
      expect(ahead, 'ten captured frames showed the layer').toHaveLength(10);
      if (prediction === '1') expect(Math.min(...ahead), 'asked for a pose at least a frame ahead').toBeGreaterThan(15);
      else expect(ahead.every((a) => a === 0)).toBe(true);
      expect((worst * 180) / Math.PI, 'render pose = the pose predictedMs after the request, in degrees').toBeLessThan(0.05);
      summary[prediction === '1' ? 'predicted' : 'not predicted'] = `asked ${Math.min(...ahead).toFixed(0)}–${Math.max(...ahead).toFixed(0)} ms ahead; render pose off the extrapolation by ≤ ${((worst * 180) / Math.PI).toFixed(4)}°; mean angle to the shown pose ${((lagSum / 10) * 180 / Math.PI).toFixed(2)}°`;
      await page.close();
    }
    console.info(`pose prediction, 90°/s turn: ${JSON.stringify(summary)}`);
  });

  it('a depth layer is reprojected by position too: a step sideways lands markers 2 m away within 0.5 px', async () => {
    const depth = 2;
    const points: Point[] = [[-0.5, EYE_HEIGHT + 0.4, -depth, 1], [0.4, EYE_HEIGHT - 0.3, -depth, 1], [0.1, EYE_HEIGHT + 0.05, -depth, 1]];
    const page = await open(markersUrl(points, `&depth=${depth}`));
    await renderAtAThenFreeze(page);
    const poseC = { position: [0.06, EYE_HEIGHT + 0.02, -0.04] as [number, number, number], orientation: yawPitchRoll(0.05) };
    await setPose(page, poseC);
    await framesPass(page, 2);
    const c = await capture(page);
    expect(c.layers[0]!.declaration).toEqual({ type: 'projection', depth: true });
    let worst = 0;
    const step = poseC.position.map((v, i) => v - POSE_A.position[i]!);
    for (const [i, m] of measureMarkers(c, points).entries()) {
      const got = markerCentroid(c, m.now, 12);
      expect(got.weight).toBeGreaterThan(1000);
      worst = Math.max(worst, distance(got.at, m.now));
      // Rotation alone would have left it where the point seen along the old line of sight lies: the parallax is several pixels.
      const p = points[i % points.length]!;
      const alongOldLine = projectToCanvas(c.views[m.eye]!, [p[0] + step[0]!, p[1] + step[1]!, p[2] + step[2]!, 1]);
      expect(distance(alongOldLine, m.now), 'the step makes a parallax rotation alone cannot fix').toBeGreaterThan(5);
    }
    console.info(`depth layer, 6 cm step + 3° turn: worst marker error ${worst.toFixed(3)} px`);
    expect(worst).toBeLessThanOrEqual(HALF_PIXEL);
    await page.close();
  });

  it('a quad layer stays at its world pose while the head moves, in both eyes', async () => {
    const centre = [0.1, EYE_HEIGHT + 0.05, -2];
    const size = [0.8, 0.5];
    const page = await open(`${fixtures}/panel.js?type=quad&pos=${centre.join(',')}&size=${size.join(',')}&color=00ff00`);
    const corners: Point[] = [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(([sx, sy]) => [centre[0]! + (sx! * size[0]!) / 2, centre[1]! + (sy! * size[1]!) / 2, centre[2]!, 1]);
    const seen: [number, number][] = [];
    for (const pose of [POSE_A, POSE_B, { position: [0.2, EYE_HEIGHT - 0.1, 0.3] as [number, number, number], orientation: yawPitchRoll(-0.15, 0.05) }]) {
      await setPose(page, pose);
      await framesPass(page, 2);
      const c = await capture(page);
      c.views.forEach((view, eye) => {
        const expected = polygonCentroid(corners.map((p) => projectToCanvas(view, p)));
        const green = regionCentroid(c, view.viewport, (px) => px[1]! > 200 && px[0]! < 60);
        expect(distance(green.at, expected.at), `eye ${eye}: panel centroid`).toBeLessThanOrEqual(HALF_PIXEL);
        expect(Math.abs(green.count - expected.area) / expected.area, `eye ${eye}: panel area`).toBeLessThan(0.02);
        if (eye === 0) seen.push(green.at);
      });
    }
    // It moved on screen as the head moved (world-locked, not head-locked).
    expect(distance(seen[0]!, seen[1]!)).toBeGreaterThan(30);
    expect(await page.evaluate(() => window.compositor.stats().layers[0]!.declaration.type)).toBe('quad');
    await page.close();
  });

  it('a cylinder layer spans its central angle on the wall around the viewer', async () => {
    const radius = 2;
    const angle = 1; // radians
    const page = await open(`${fixtures}/panel.js?type=cylinder&pos=0,${EYE_HEIGHT},0&radius=${radius}&angle=${angle}&height=0.6&color=00ff00`);
    await setPose(page, { position: [0, EYE_HEIGHT, 0], orientation: yawPitchRoll(0.1) });
    await framesPass(page, 2);
    const c = await capture(page);
    c.views.forEach((view) => {
      // The wall's two vertical edges at eye height, and where the current view projects them.
      const edge = (sign: number): Point => [sign * radius * Math.sin(angle / 2), EYE_HEIGHT, -radius * Math.cos(angle / 2), 1];
      const [left, right] = [projectToCanvas(view, edge(-1)), projectToCanvas(view, edge(1))];
      const row = Math.floor(left[1]);
      let first = -1;
      let last = -1;
      for (let x = view.viewport.x; x < view.viewport.x + view.viewport.width; x++) {
        if (c.pixels[(row * c.width + x) * 4 + 1]! > 200) {
          if (first < 0) first = x;
          last = x;
        }
      }
      expect(Math.abs(first - left[0]), `left edge at ${left[0].toFixed(1)}, first green column ${first}`).toBeLessThanOrEqual(1);
      expect(Math.abs(last + 1 - right[0]), `right edge at ${right[0].toFixed(1)}, last green column ${last}`).toBeLessThanOrEqual(1);
    });
    await page.close();
  });
});
