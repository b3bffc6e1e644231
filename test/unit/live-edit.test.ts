// Live editing's pure parts: the vetting lifecycle (fake time), the version history, the content hash.
import { describe, expect, it } from 'vitest';
import { startVetting, vet, vettingRate, type Vetting } from '../../compositor/live-edit/vetting';
import { addVersion, emptyHistory, liveVersion, makeLive, nextVersion, previousVersion } from '../../compositor/live-edit/history';
import { sourceHash } from '../../compositor/live-edit/source-hash';

const frame = (at: number, latencyMs: number) => ({ type: 'frame' as const, at, latencyMs, windowFrames: 5, budgetMs: 16.7 });

function measured(latencies: number[]): Vetting {
  let v = vet(startVetting(0), { type: 'started', at: 10 });
  v = vet(v, frame(20, 5)); // the preview frame
  latencies.forEach((l, i) => (v = vet(v, frame(30 + i, l))));
  return v;
}

describe('vetting a new version', () => {
  it('passes a version that loads, previews, holds the budget over the window and is handed the live state', () => {
    const v = measured([5, 6, 20, 5, 6]);
    expect(v.state).toBe('handing-over');
    // Frames that come while the state is handed over change nothing; then it has passed.
    expect(vet(v, frame(50, 90))).toBe(v);
    expect(vet(v, { type: 'tick', at: 99_999, previewDeadlineMs: 1 })).toBe(v);
    expect(vet(v, { type: 'handed-over' }).state).toBe('passed');
  });
  it('rejects a version whose restore() fails as the state is handed over', () => {
    const v = vet(measured([5, 6, 5, 6, 5]), { type: 'failed', phase: 'restore', message: 'restore exploded' });
    expect(v).toMatchObject({ state: 'rejected', rejection: { phase: 'restore', message: 'restore exploded' } });
    expect(vet(v, { type: 'handed-over' })).toBe(v);
  });
  it('is handed over only after the window has passed', () => {
    const v = measured([5, 6]);
    expect(vet(v, { type: 'handed-over' })).toBe(v);
  });
  it('keeps measuring until the window is full', () => {
    const v = measured([5, 6]);
    expect(v.state).toBe('measuring');
    expect(vettingRate(v, 16.7)).toBeCloseTo(1000 / 16.7, 3);
  });
  it('rejects a version too slow for the budget, saying by how much', () => {
    const v = measured([40, 41, 42, 39, 40]);
    expect(v.state).toBe('rejected');
    expect(v.rejection).toMatchObject({ phase: 'frame rate' });
    expect(v.rejection!.message).toMatch(/40 ms .* budget of 17 ms/);
  });
  it('decides as soon as the evidence does: a clear pass after 3 frames (5 with one hitch), a clear overrun after 3, a close call over the whole window', () => {
    const window = (latencies: number[]) => {
      let v = vet(startVetting(0), { type: 'started', at: 10 });
      v = vet(v, { ...frame(20, 5), windowFrames: 30 });
      let frames = 0;
      for (const l of latencies) {
        if (v.state !== 'measuring') break;
        v = vet(v, { ...frame(30 + frames, l), windowFrames: 30 });
        frames += 1;
      }
      return { v, frames };
    };
    // Well inside the budget, every frame: handed over after 3 frames.
    expect(window([5, 6, 5, 6, 5])).toMatchObject({ v: { state: 'handing-over' }, frames: 3 });
    // Well inside the budget, one hitch among them: handed over after 5 frames, not 30.
    expect(window([5, 40, 6, 5, 6, 5, 5])).toMatchObject({ v: { state: 'handing-over' }, frames: 5 });
    // Three frames in a row over twice the budget: rejected at once, saying so.
    const over = window([5, 40, 41, 39, 5, 5]);
    expect(over.frames).toBe(4);
    expect(over.v.rejection!.message).toBe("its frames took 39 ms or more (its last 3), over the layer's budget of 17 ms by twice or more");
    // Just inside the budget but not clearly: measured over the whole window, then the median passes it.
    const close = window(Array.from({ length: 40 }, () => 15));
    expect(close).toMatchObject({ v: { state: 'handing-over' }, frames: 30 });
    // Just over it: the whole window, then rejected by its median.
    const slow = window(Array.from({ length: 40 }, () => 20));
    expect(slow.frames).toBe(30);
    expect(slow.v.rejection!.message).toMatch(/^its frames took 20 ms \(median of 30\)/);
  });
  it('rejects with the phase that failed, and ignores what comes after the end', () => {
    const v = vet(startVetting(0), { type: 'failed', phase: 'setup', message: 'boom', line: 3 });
    expect(v).toMatchObject({ state: 'rejected', rejection: { phase: 'setup', message: 'boom', line: 3 } });
    expect(vet(v, { type: 'started', at: 5 })).toBe(v);
  });
  it('rejects a version whose preview frame does not come in time (fake clock)', () => {
    let v = vet(startVetting(0), { type: 'started', at: 100 });
    v = vet(v, { type: 'tick', at: 1000, previewDeadlineMs: 1000 });
    expect(v.state).toBe('previewing');
    v = vet(v, { type: 'tick', at: 1101, previewDeadlineMs: 1000 });
    expect(v.rejection).toMatchObject({ phase: 'preview' });
  });
  it('ignores frames before the version has started', () => {
    expect(vet(startVetting(0), frame(1, 5)).state).toBe('starting');
  });
});

describe('preview label', async () => {
  const { previewLabelText } = await import('../../compositor/live-edit/preview-label');
  const vetting = { state: 'measuring' as const, frames: 12, windowFrames: 30, fps: 58.4, trigger: 'dev-server' as const, revertTo: undefined, stateCarried: true, stateRestored: false, stagingId: 9, phases: {} };
  it('says what is vetted, how far it is and its measured frame rate', () => {
    expect(previewLabelText(vetting)).toBe('new version (dev-server) · measuring 12/30 · 58 fps');
    expect(previewLabelText({ ...vetting, revertTo: 3, state: 'handing-over', frames: 30 })).toBe('back to v3 · handing-over · 58 fps');
    expect(previewLabelText({ ...vetting, state: 'previewing', frames: 0, fps: 0 })).toBe('new version (dev-server) · previewing');
  });
});

describe('version history', () => {
  const add = (h: ReturnType<typeof emptyHistory>, hash: string) => addVersion(h, { url: 'u', hash, time: 0, trigger: 'poll', source: hash });
  it('keeps every good version; undo and redo move the live one; a new version goes to the end', () => {
    let h = add(add(add(emptyHistory(), 'a'), 'b'), 'c');
    expect(liveVersion(h)!.number).toBe(3);
    expect(nextVersion(h)).toBeNull();
    expect(previousVersion(h)!.hash).toBe('b');
    h = makeLive(h, 1);
    expect(previousVersion(h)).toBeNull();
    expect(nextVersion(h)!.number).toBe(2);
    h = add(h, 'd');
    expect(h.versions.map((v) => v.hash)).toEqual(['a', 'b', 'c', 'd']);
    expect(liveVersion(h)!.number).toBe(4);
    expect(makeLive(h, 99)).toBe(h);
  });
});

describe('source hash', () => {
  it('is stable, tells one-character edits apart, and has a fixed width', () => {
    expect(sourceHash('export default {}')).toBe(sourceHash('export default {}'));
    expect(sourceHash('const a = 1;')).not.toBe(sourceHash('const a = 2;'));
    expect(sourceHash('')).toHaveLength(14);
  });
});

describe('running a version from its source text', async () => {
  const { rewriteForBlob, directImports } = await import('../../shared/module-imports');
  const url = 'http://example.test/guests/room.js?color=ff0000';
  const source = [
    "import { a } from './lib/a.js';",
    "import * as b from '../b.js';",
    "import c from 'https://cdn.test/c.js';",
    "const q = new URL(import.meta.url).searchParams;",
    "const later = () => import('./later.js');",
    'export default { frame() {} };',
  ].join('\n');

  it('makes relative specifiers absolute against its URL and keeps import.meta.url, line for line', async () => {
    const out = await rewriteForBlob(source, url);
    expect(out).toContain("from 'http://example.test/guests/lib/a.js'");
    expect(out).toContain("from 'http://example.test/b.js'");
    expect(out).toContain("from 'https://cdn.test/c.js'");
    expect(out).toContain('new URL(({ url: "http://example.test/guests/room.js?color=ff0000" }).url)');
    expect(out).toContain('import("http://example.test/guests/later.js")');
    expect(out.split('\n')).toHaveLength(source.split('\n').length);
  });

  it('lists the modules it imports, for reloading it when one of them changes', async () => {
    expect(await directImports(source, url)).toEqual([
      'http://example.test/guests/lib/a.js',
      'http://example.test/b.js',
      'https://cdn.test/c.js',
      'http://example.test/guests/later.js',
    ]);
  });

  it('leaves text it cannot lex alone (the engine and acorn say why)', async () => {
    expect(await rewriteForBlob("import { from 'x", url)).toBe("import { from 'x");
    const { locateSyntaxError } = await import('../../guest-runtime/syntax-location');
    expect(locateSyntaxError('export default {\n  frame( {\n}')).toMatchObject({ line: 3 });
    expect(locateSyntaxError('export default {};')).toBeNull();
  });
});
