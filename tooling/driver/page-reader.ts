// Shared browser driver for tests, bench and tooling (tooling/driver/).
// Reading the compositor page over a CDP session instead of page.evaluate. When a guest's
// out-of-process frame crashes (a guest that exhausts its heap does, on a machine fast enough to
// get there in seconds: the memory-growth fixture on a real GPU), Playwright fires the page's
// 'crash' event and from then on rejects page.evaluate and page.waitFor*, although the page is
// alive and presenting (../shared/PLATFORM.md). The CDP session keeps answering.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CDPSession, Page } from 'playwright-core';
import type { CompositorStats } from '../../compositor/stats';

/**
 * What until() polls: the frame count and each layer's id and state, a few bytes in one evaluation
 * (the whole stats() as JSON, twice per poll, every 16 ms, cost the compositor's own thread on a
 * 2-core machine: a hostile test's 'throughout' rate fell to 0.898 once).
 */
export interface PollStats {
  frames: number;
  layers: { id: number; state: string }[];
}

export interface PageReader {
  /** stats() and the page's clock, read together. */
  read(): Promise<{ s: CompositorStats; t: number }>;
  /** Polls every `pollMs` (100) until `check` holds (true) or `timeout` ms have passed (false). */
  until(check: (s: PollStats) => boolean, timeout: number, pollMs?: number): Promise<boolean>;
  /** Evaluates a JavaScript expression in the page (awaiting a promise), returning its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
}

export { sleep };

/** A reader for `page`; the page's 'crash' event is taken as a guest frame's crash, not the page's. */
export async function attachReader(page: Page): Promise<PageReader> {
  // Runs when any process of the page's frames dies: Playwright cannot tell an out-of-process guest
  // frame from the page; the reader goes on over CDP, and a page that really died stops answering.
  page.on('crash', () => {});
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const evaluate = async <T>(expression: string): Promise<T> => {
    const reply = (await cdp.send('Runtime.evaluate', { expression: `(async () => JSON.stringify(await (${expression})))()`, awaitPromise: true, returnByValue: true })) as {
      result: { value?: string };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (reply.exceptionDetails) throw new Error(`in the page: ${reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text}`);
    return JSON.parse(reply.result.value ?? 'null') as T;
  };
  const read = () => evaluate<{ s: CompositorStats; t: number }>('({ s: window.compositor.stats(), t: performance.now() })');
  const poll = () => evaluate<PollStats | null>('window.compositor ? ((s) => ({ frames: s.frames, layers: s.layers.map((l) => ({ id: l.id, state: l.state })) }))(window.compositor.stats()) : null');
  return {
    read,
    evaluate,
    async until(check, timeout, pollMs = 100) {
      const end = Date.now() + timeout;
      for (;;) {
        const s = await poll();
        if (s && check(s)) return true;
        if (Date.now() > end) return false;
        await sleep(pollMs);
      }
    },
  };
}
