// The dev server's change announcer: a save is announced once, whole, in order.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeAnnouncer, SETTLE_MS } from '../../tooling/guest-watch';

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

describe('guest file change announcer', () => {
  it('announces a save truncated then written once, with its whole text', async () => {
    const file = join(dir, 'g.js');
    const { list, announcer } = announced();
    writeFileSync(file, ''); // the watcher fires between the truncation…
    announcer.changed('/g.js', file);
    vi.advanceTimersByTime(SETTLE_MS - 5);
    writeFileSync(file, 'export default {};'); // …and the write
    announcer.changed('/g.js', file);
    vi.advanceTimersByTime(SETTLE_MS);
    await vi.waitFor(() => expect(list.length).toBeGreaterThan(0));
    expect(list).toEqual([['/g.js', 'export default {};']]);
  });

  it('announces the same text once, and each new save in order', async () => {
    const file = join(dir, 'g.js');
    const { list, announcer } = announced();
    for (const text of ['a', 'a', 'b']) {
      writeFileSync(file, text);
      announcer.changed('/g.js', file);
      vi.advanceTimersByTime(SETTLE_MS);
      await new Promise((r) => setImmediate(r));
      await vi.waitFor(() => expect(list.at(-1)?.[1]).toBe(text));
    }
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
    vi.advanceTimersByTime(SETTLE_MS);
    await vi.waitFor(() => expect(list.length).toBe(2));
    expect(new Map(list)).toEqual(new Map([['/a.js', 'A'], ['/b.js', 'B']]));
  });
});
