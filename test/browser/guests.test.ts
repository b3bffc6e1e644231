// Guests by URL: cross-origin, bad input, the load/unload API, and the frame rate users rely on.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openCompositor, pageRafRate, screenshotFractions, stats, waitForLayerState } from '../../tooling/driver/harness';
import { MAX_LAYERS, MAX_SHADER_LOOP_ITERATIONS } from '../../shared/limits';
import { eyePixel } from '../../tooling/driver/capture';

const app = inject('appUrl');
const cross = inject('crossUrl');
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Over `ms`, how many compositor frames were presented and how many of them showed layer `id` fresh. */
async function presentedOver(page: Page, id: number, ms: number) {
  return page.evaluate(
    ([layerId, duration]) =>
      new Promise<{ frames: number; presented: number; seconds: number }>((done) => {
        const read = () => {
          const s = window.compositor.stats();
          return { frames: s.frames, presented: s.layers.find((l) => l.id === layerId)?.presented ?? 0, t: performance.now() };
        };
        const a = read();
        setTimeout(() => {
          const b = read();
          done({ frames: b.frames - a.frames, presented: b.presented - a.presented, seconds: (b.t - a.t) / 1000 });
        }, duration);
      }),
    [id, ms] as const,
  );
}

describe('frame rate', () => {
  // Guests that only clear their surface, at the defaults: the issue-12 case where one such guest
  // was quarantined within 3 s ("too slow") and two held the compositor at 16–21 fps.
  it.each([
    ['one guest', ['demos/solid.js?color=ff0000']],
    ['two guests', ['demos/solid.js?color=ff0000', 'demos/solid.js?color=00ff00&rect=0,0,0.5,0.5']],
  ])('presents at the page’s own frame rate with %s running', async (_name, guests) => {
    const page = await openCompositor(browser, app, { guests });
    for (let id = 1; id <= guests.length; id++) await waitForLayerState(page, id, ['running']);
    const baseline = await pageRafRate(page, 1500);
    const run = await presentedOver(page, 1, 2000);
    const compositorFps = run.frames / run.seconds;
    expect(baseline).toBeGreaterThan(30);
    expect(compositorFps / baseline, `compositor ${compositorFps.toFixed(1)} fps vs page rAF ${baseline.toFixed(1)}`).toBeGreaterThanOrEqual(0.9);
    // At the defaults a slow machine gives guests the surplus: smaller frames first, then slower
    // ones, never slower than every 3rd frame for a guest that fits at all.
    expect(run.presented / run.frames, 'a cheap guest shows fresh content in at least every 3rd frame').toBeGreaterThanOrEqual(0.3);
    expect((await stats(page)).layers.map((l) => l.state)).toEqual(guests.map(() => 'running'));
    const s = await stats(page);
    expect(s.fps).toBeGreaterThan(0.9 * baseline);
    expect(s.internalErrors).toBe(0);
    // Render grants plan at the defaults (null only with adapt=0), and a guest that only clears its
    // surface is planned as cheap: the composite queued ahead of its frame is not its own cost.
    expect(s.budget.surplusMs).toEqual(expect.any(Number));
    for (const l of s.layers) expect(l.costMs, `layer ${l.id}: planned cost against its last wait of ${l.gpuMs} ms`).toBeLessThan(1000 / baseline / 2);
    await page.close();
  });
});

describe('cross-origin guests', () => {
  it('loads a guest from a second origin that sends CORS headers, with its relative imports', async () => {
    const page = await openCompositor(browser, app, { guests: [`${cross}/cross-origin-guest.js`], extra: { hud: '0' } });
    const l = await waitForLayerState(page, 1, ['running', 'failed']);
    expect(l.error).toBeUndefined();
    expect(l.state).toBe('running');
    await page.waitForFunction(() => window.compositor.stats().layers[0]!.presented > 5);
    const pixel = await screenshotFractions(page);
    expect(pixel(0.25, 0.5).slice(0, 3)).toEqual([0, 0, 255]);
    expect(pixel(0.75, 0.5).slice(0, 3)).toEqual([0, 0, 255]);
    await page.close();
  });

  it('fails a cross-origin guest without CORS headers, saying so', async () => {
    const page = await openCompositor(browser, app, { guests: [`${cross}/no-cors/cross-origin-guest.js`] });
    const l = await waitForLayerState(page, 1, ['failed']);
    expect(l.error).toMatch(/^load failed for http:\/\/127\.0\.0\.1:\d+\/no-cors\/cross-origin-guest\.js: .*Access-Control-Allow-Origin/);
    await page.close();
  });
});

describe('bad input: each ends in failed with its reason while a healthy sibling keeps presenting', () => {
  let page: Page;
  /** The healthy guest's share of fresh frames alone, once settled (admission starts it small). */
  let alone = 0;
  beforeAll(async () => {
    page = await openCompositor(browser, app, { guests: ['demos/solid.js?color=00ff00'] });
    await waitForLayerState(page, 1, ['running']);
    await page.waitForTimeout(3000);
    const run = await presentedOver(page, 1, 1500);
    alone = run.presented / run.frames;
    console.info(`the healthy guest alone: fresh in ${(100 * alone).toFixed(0)} % of frames`);
  });
  afterAll(async () => {
    await page?.close();
  });

  const cases: [string, string, RegExp][] = [
    ['a URL that 404s', 'demos/does-not-exist.js', /^load failed for .*\/demos\/does-not-exist\.js: HTTP 404/],
    ['a file that is not JavaScript', 'demos/hostile/not-javascript.txt', /^load failed for .*not-javascript\.txt: .*served as text\/plain, not as JavaScript/],
    ['a syntax error', 'demos/hostile/syntax-error.js', /^load failed for .*syntax-error\.js: SyntaxError/],
    ['no default export', 'demos/hostile/no-default-export.js', /^load failed for .*no-default-export\.js: module has no default export/],
    ['a throw in setup', 'demos/hostile/throw-in-setup.js', /^setup failed for .*throw-in-setup\.js: setup exploded on purpose/],
    ['a URL that is not http(s)', 'javascript:alert(1)', /^load failed for javascript:alert\(1\): guest URL must be http\(s\)/],
  ];

  it('a throw in frame: restarted, then quarantined past the restart limit, with its reason', async () => {
    const loadedAt = await page.evaluate(() => performance.now());
    const restartsBefore = (await stats(page)).layers.find((x) => x.id === 1)!.restarts;
    const id = await page.evaluate(() => window.compositor.load('demos/hostile/throw-in-frame.js'));
    const watch = presentedOver(page, 1, 2500);
    const l = await waitForLayerState(page, id, ['quarantined'], 20_000);
    expect(l.error).toMatch(/^frame failed for .*throw-in-frame\.js: frame exploded on purpose/);
    expect(l.restarts).toBe(3);
    expect(l.stateReason).toBe('crashed 4 times within 30 s (at most 3 restarts allowed)');
    const healthy = await watch;
    // Three restarts in 2.5 s each start a renderer process and a worker on this 2-core machine, and
    // at the defaults that takes some of the sibling's fresh frames (46 % against 88 % alone in a
    // clean-clone run; 94–97 % on a small page). How many is the machine's speed (the bench's to
    // measure); what a user relies on is that the sibling stays on screen and keeps getting fresh
    // frames: never dropped, restarted or ended while its neighbour crashes and restarts.
    console.info(`throw in frame: healthy guest presented ${healthy.presented}/${healthy.frames} frames during the restarts`);
    expect(healthy.presented, 'healthy guest showed fresh frames during the restarts').toBeGreaterThan((healthy.frames * alone) / 4);
    const after = (await stats(page)).layers.find((x) => x.id === 1)!;
    const changes = after.history.filter((h) => h.t >= loadedAt).map((h) => h.state);
    expect(changes, 'the healthy guest was never dropped, restarted or ended').not.toEqual(expect.arrayContaining([expect.stringMatching(/^(dropped|restarting|quarantined|failed|closed)$/)]));
    expect(after.restarts).toBe(restartsBefore);
  });

  it.each(cases)('%s', async (_name, url, message) => {
    const [id, loadedAt] = await page.evaluate((u) => [window.compositor.load(u), performance.now()] as const, url);
    const before = (await stats(page)).layers.find((x) => x.id === 1)!;
    const watch = presentedOver(page, 1, 1500);
    const l = await waitForLayerState(page, id, ['failed']);
    expect(l.error).toMatch(message);
    const healthy = await watch;
    // Starting the failing guest (a renderer process, the runtime to compile, for some a WebGL
    // context in the one GPU queue) costs this 2-core machine some of the sibling's fresh frames:
    // typically 95–100 % are kept, 72 % was the lowest seen in a clean-clone run. How many is the
    // machine's speed (giving guests only the surplus is the presents-on-time issue's policy); what
    // a user relies on is that the sibling stays on screen and keeps getting fresh frames: it is
    // never dropped (stale past its grace), restarted or ended while the bad guest loads and fails.
    console.info(`${_name}: healthy guest presented ${healthy.presented}/${healthy.frames} frames`);
    expect(healthy.presented, 'healthy guest showed fresh frames while the bad one loaded').toBeGreaterThan((healthy.frames * alone) / 4);
    const after = (await stats(page)).layers.find((x) => x.id === 1)!;
    const changes = after.history.filter((h) => h.t >= loadedAt).map((h) => h.state);
    expect(changes, 'the healthy guest was never dropped, restarted or ended').not.toEqual(expect.arrayContaining([expect.stringMatching(/^(dropped|restarting|quarantined|failed|closed)$/)]));
    expect(after.restarts).toBe(before.restarts);
    expect(['running', 'stale']).toContain(after.state);
    expect((await stats(page)).internalErrors).toBe(0);
  });

  it('keeps the compositor at full rate after all of them', async () => {
    const baseline = await pageRafRate(page, 1000);
    const run = await presentedOver(page, 1, 1500);
    expect(run.frames / run.seconds / baseline).toBeGreaterThanOrEqual(0.9);
    const s = await stats(page);
    expect(s.layers.filter((l) => l.state === 'failed')).toHaveLength(cases.length);
    expect(s.layers.filter((l) => l.state === 'quarantined')).toHaveLength(1);
  });
});

describe('load and unload', () => {
  it('returns layer ids, unloads to free the layer, and refuses past the layer cap with a clear error', async () => {
    // Plain workers here: this is about the API's cap, not isolation, and 64 guest processes would
    // only slow the suite down.
    const page = await openCompositor(browser, app, { guests: ['demos/solid.js?color=ff0000'], extra: { isolation: 'worker' } });
    await waitForLayerState(page, 1, ['running']);
    const id = await page.evaluate(() => window.compositor.load('demos/solid.js?color=0000ff'));
    expect(id).toBe(2);
    await waitForLayerState(page, id, ['running']);
    await page.waitForFunction(() => window.compositor.stats().textures === 2);
    expect(await page.evaluate((i) => window.compositor.unload(i), id)).toBe(true);
    let s = await stats(page);
    expect(s.layers.map((l) => l.id)).toEqual([1]);
    expect(s.textures).toBe(1);
    expect(await page.evaluate(() => window.compositor.unload(999))).toBe(false);

    const overflow = await page.evaluate((max) => {
      try {
        for (let i = 0; i < max; i++) window.compositor.load('demos/solid.js');
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      }
    }, MAX_LAYERS);
    expect(overflow).toMatch(new RegExp(`at most ${MAX_LAYERS} layers`));
    s = await stats(page);
    expect(s.layers).toHaveLength(MAX_LAYERS);
    await page.close();
  });
});

describe('a burst of starts', () => {
  it('keeps every one of 16 three.js guests loaded at once: all end running, none quarantined', async () => {
    // 16 demo guests starting together load the machine for 10-20 s here: each one's admission
    // frames then wait behind the others' starts (at 1/8, 64-77 ms of GPU wait; runaway frames of
    // 150 ms, its thread starved), as a hog's would. Before the hold (policy/admission-hold.ts) a
    // healthy guest was quarantined for it in 2 probe runs of 5; with the hold, in 1 test run of 3,
    // for runaway frames after the burst (190 ms back, its fastest 110 ms) that its own frame took
    // little of: a strike now needs the frame's own part to be a runaway too (policy/pacer.ts).
    const n = 16;
    // The supervisor's hold, readmission, refusal and runaway lines, for a failure's message.
    const log: string[] = [];
    const t0 = Date.now();
    const page = await openCompositor(browser, app, {
      guests: Array.from({ length: n }, () => 'demos/cubes.js'),
      onPage: (p) => p.on('console', (m) => void (/held|readmitted|refused|runaway|quarantined/.test(m.text()) && log.push(`${Date.now() - t0} ms ${m.text().replace(/ http\S*/g, '')}`))),
    });
    await page.waitForFunction(
      (count) => {
        const layers = window.compositor.stats().layers;
        return layers.length === count && (layers.every((l) => l.state === 'running') || layers.some((l) => l.state === 'quarantined' || l.state === 'failed'));
      },
      n,
      { timeout: 90_000, polling: 250 },
    );
    // Then a few seconds more: a guest held through the burst is readmitted and judged again.
    await page.waitForTimeout(5000);
    const layers = (await stats(page)).layers;
    const lost = layers.filter((l) => l.state === 'quarantined' || l.state === 'failed' || l.restarts > 0);
    expect(
      lost.map((l) => `layer ${l.id} ${l.state}, ${l.restarts} restarts: ${l.error ?? ''}`),
      `the supervisor's lines:\n${log.join('\n')}\nlost: ${lost.map((l) => `layer ${l.id}: ${l.stateReason}; ${l.history.map((h) => `${h.state}@${Math.round(h.t)}`).join(' ')}`).join('\n')}`,
    ).toEqual([]);
    expect(layers.map((l) => l.state).filter((state) => state !== 'running' && state !== 'stale')).toEqual([]);
    await page.close();
  }, 120_000);
});

describe('bounded GPU work', () => {
  it('ends an endless loop in a guest shader at the bound: the guest runs, drawing what the bound promises', async () => {
    // Unbounded, this draw would never finish, and hold the GPU queue every context shares with it.
    const url = (limit: number) => `${cross}/endless-loop.js?limit=${limit}`;
    const page = await openCompositor(browser, app, { guests: [url(MAX_SHADER_LOOP_ITERATIONS)] });
    await waitForLayerState(page, 1, ['running']);
    // Green: its `while (true)` ran exactly the bound's iterations, and a second loop none.
    await expect.poll(() => eyePixel(page, 0, 0.5, 0.5), { timeout: 10_000 }).toEqual([0, 255, 0]);
    expect(await eyePixel(page, 1, 0.5, 0.5)).toEqual([0, 255, 0]);
    // The control: the same guest told to expect one iteration fewer draws red over it.
    const id = await page.evaluate((u) => window.compositor.load(u), url(MAX_SHADER_LOOP_ITERATIONS - 1));
    await waitForLayerState(page, id, ['running']);
    await expect.poll(() => eyePixel(page, 0, 0.5, 0.5), { timeout: 10_000 }).toEqual([255, 0, 0]);
    // Both keep running: neither restarted nor ended. A layer may be `stale` at the instant it is
    // read (its last frame shown while the next is late): the new one is in admission, asked at
    // every frame with one frame's deadline, and a clean-clone run read it stale once.
    const layers = (await stats(page)).layers;
    for (const l of layers) expect(['running', 'stale'], `layer ${l.id}: ${l.state}`).toContain(l.state);
    expect(layers.map((l) => [l.restarts, l.error ?? null])).toEqual([
      [0, null],
      [0, null],
    ]);
    await page.close();
  });
});
