// Shared browser driver for tests, bench and tooling (tooling/driver/).
// Driving the compositor page in headless Chromium (Debian's chromium, playwright-core).
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath } from '../../scripts/chromium-path.mjs';
import type { CompositorStats, LayerStats } from '../../compositor/stats';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Extra Chromium flags from $STEADFAST_CHROMIUM_ARGS (space-separated), e.g. to compare GL paths in the bench. */
export function extraChromiumArgs(): string[] {
  return (process.env.STEADFAST_CHROMIUM_ARGS ?? '').split(/\s+/).filter(Boolean);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS, ...extraChromiumArgs()] });
}

/**
 * A new page. Under tsx (the bench), esbuild's keepNames wraps functions passed to
 * page.evaluate in a `__name` helper that exists only in Node; give the page a no-op one.
 */
export async function newPage(target: Browser | BrowserContext, viewport: { width: number; height: number }): Promise<Page> {
  const page = 'contexts' in target ? await target.newPage({ viewport }) : await target.newPage();
  await page.setViewportSize(viewport);
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  return page;
}

/**
 * Tests run the product at its defaults: a 1280×720 page and the default surface (no `surface`
 * parameter). A test that needs exact pixels says so and passes its own.
 */
export const TEST_VIEWPORT = { width: 1280, height: 720 };

export interface PageOptions {
  guests?: string[];
  surface?: string;
  extra?: Record<string, string>;
  viewport?: { width: number; height: number };
  /** Called with the page before it navigates (to listen to its console, say). */
  onPage?: (page: Page) => void;
}

export function compositorUrl(base: string, options: PageOptions = {}): string {
  const query = new URLSearchParams();
  query.set('emulator', '1');
  if (options.surface !== undefined) query.set('surface', options.surface);
  for (const guest of options.guests ?? []) query.append('guest', guest);
  for (const [k, v] of Object.entries(options.extra ?? {})) query.set(k, v);
  return `${base}/?${query}`;
}

/** Opens the compositor and waits until it presents. Console errors are collected on the page object. */
export async function openCompositor(browser: Browser | BrowserContext, base: string, options: PageOptions = {}): Promise<Page> {
  const page = await newPage(browser, options.viewport ?? TEST_VIEWPORT);
  options.onPage?.(page);
  await page.goto(compositorUrl(base, options));
  await page.waitForFunction(() => window.compositor?.stats().session === 'emulator' && window.compositor.stats().frames > 0, null, {
    timeout: 30_000,
  });
  return page;
}

export function stats(page: Page): Promise<CompositorStats> {
  return page.evaluate(() => window.compositor.stats());
}

export async function layer(page: Page, id: number): Promise<LayerStats> {
  const s = await stats(page);
  const found = s.layers.find((l) => l.id === id);
  if (!found) throw new Error(`no layer ${id} in ${JSON.stringify(s.layers.map((l) => l.id))}`);
  return found;
}

/** Waits until layer `id` is in one of `states` (polling stats()). */
export async function waitForLayerState(page: Page, id: number, states: string[], timeout = 20_000): Promise<LayerStats> {
  await page.waitForFunction(
    ([layerId, wanted]) => {
      const l = window.compositor.stats().layers.find((x) => x.id === layerId);
      return !!l && (wanted as string[]).includes(l.state);
    },
    [id, states] as const,
    { timeout, polling: 50 },
  );
  return layer(page, id);
}

/** The page's own requestAnimationFrame rate over `ms`: the baseline the compositor is held to. */
export function pageRafRate(page: Page, ms: number): Promise<number> {
  return page.evaluate(
    (duration) =>
      new Promise<number>((done) => {
        let n = 0;
        const start = performance.now();
        const tick = (now: number) => {
          n += 1;
          if (now - start < duration) requestAnimationFrame(tick);
          else done(((n - 1) * 1000) / (now - start));
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
}

/** The WebGL renderer the browser gives a page (e.g. SwiftShader, or a GPU), as WEBGL_debug_renderer_info names it. */
export async function glRenderer(browser: Browser): Promise<string> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(() => {
      const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
      if (!gl) return 'no WebGL2';
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    });
  } finally {
    await page.close();
  }
}

/** The compositor canvas's backing size in pixels (its output scale makes it smaller than the page). */
export function canvasSize(page: Page): Promise<{ width: number; height: number }> {
  return page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('#view')!;
    return { width: c.width, height: c.height };
  });
}

/** Where canvas pixel (x, y) (GL coordinates, origin bottom-left) is on the page, in CSS pixels (for the mouse). */
export async function canvasToPage(page: Page, x: number, y: number): Promise<[number, number]> {
  const r = await page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('#view')!;
    const box = c.getBoundingClientRect();
    return { left: box.left, top: box.top, sx: box.width / c.width, sy: box.height / c.height, h: c.height };
  });
  return [r.left + x * r.sx, r.top + (r.h - y) * r.sy];
}

/** Reads pixels (RGBA 0–255) from a PNG screenshot of the page at fractions of its width and height (from the top left). */
export async function screenshotFractions(page: Page): Promise<(fx: number, fy: number) => [number, number, number, number]> {
  const pixel = await screenshotPixels(page);
  const { width, height } = page.viewportSize()!;
  return (fx, fy) => pixel(Math.min(width - 1, fx * width), Math.min(height - 1, fy * height));
}

/** Reads one pixel (RGBA 0–255) from a PNG screenshot of the page at CSS pixel (x, y). */
export async function screenshotPixels(page: Page): Promise<(x: number, y: number) => [number, number, number, number]> {
  const png = await page.screenshot({ type: 'png' });
  const { decodePng } = await import('./png');
  const image = decodePng(png);
  return (x, y) => {
    const i = (Math.round(y) * image.width + Math.round(x)) * 4;
    return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!, image.data[i + 3]!];
  };
}
