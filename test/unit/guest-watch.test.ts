// The dev server's change announcer: a save is announced once, whole, in order, even when the
// watcher fires only for its truncation.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeAnnouncer, CONFIRM_MS, SETTLE_MS } from '../../tooling/guest-watch';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guest-watch-'));
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

function announced(): { list: [string, string | undefined][]; announcer: ReturnType<typeof changeAnnouncer> } {
  const list: [string, string | undefined][] = [];
  return { list, announcer: changeAnnouncer((path, source) => list.push([path, source])) };
}

/** Moves the fake clock on, then lets the reads its timers started finish (real file reads: 100 ms of real time). */
async function settle(ms: number): Promise<void> {
  vi.advanceTimersByTime(ms);
  const until = Date.now() + 100;
  while (Date.now() < until) await new Promise((r) => setImmediate(r));
}

describe('guest file change announcer', () => {
  it('announces a save truncated then written once, with its whole text', async () => {
    const file = join(dir, 'g.js');
    const { list, announcer } = announced();
    writeFileSync(file, ''); // the watcher fires between the truncation…
    announcer.changed('/g.js', file);
    await settle(SETTLE_MS - 5);
    writeFileSync(file, 'export default {};'); // …and the write
    announcer.changed('/g.js', file);
    await settle(CONFIRM_MS.at(-1)! + 10);
    expect(list).toEqual([['/g.js', 'export default {};']]);
  });

  it('finds the text when the watcher fired only for the truncation, never announcing the empty file', async () => {
    const file = join(dir, 'g.js');
    const { list, announcer } = announced();
    writeFileSync(file, '');
    announcer.changed('/g.js', file);
    await settle(SETTLE_MS + 20); // read empty: not announced
    writeFileSync(file, 'export default { frame() {} };'); // no event for this write
    await settle(CONFIRM_MS.at(-1)! + 10);
    expect(list).toEqual([['/g.js', 'export default { frame() {} };']]);
  });

  it('announces an empty file once it has stayed empty', async () => {
    const file = join(dir, 'g.js');
    const { list, announcer } = announced();
    writeFileSync(file, '');
    announcer.changed('/g.js', file);
    await settle(CONFIRM_MS.at(-1)! + 10);
    expect(list).toEqual([['/g.js', '']]);
  });

  it('announces the same text once, and each new save in order', async () => {
    const file = join(dir, 'g.js');
    const { list, announcer } = announced();
    for (const text of ['a', 'a', 'b']) {
      writeFileSync(file, text);
      announcer.changed('/g.js', file);
      await settle(SETTLE_MS + 5);
    }
    await settle(CONFIRM_MS.at(-1)! + 10);
    expect(list.map(([, s]) => s)).toEqual(['a', 'b']);
  });

  it('keeps files apart: a change to one does not drop the other’s', async () => {
    const a = join(dir, 'a.js');
    const b = join(dir, 'b.js');
    writeFileSync(a, 'A');
    writeFileSync(b, 'B');
    const { list, announcer } = announced();
    announcer.changed('/a.js', a);
    announcer.changed('/b.js', b);
    await settle(CONFIRM_MS.at(-1)! + 10);
    expect(new Map(list)).toEqual(new Map([['/a.js', 'A'], ['/b.js', 'B']]));
    expect(list).toHaveLength(2);
  });
});
