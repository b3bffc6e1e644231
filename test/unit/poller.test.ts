// Polling a guest URL: every answer checked, an unchanged file read and hashed only until its
// validators have settled, a change found whatever the validators say.
import { describe, expect, it } from 'vitest';
import { Poller, VALIDATOR_SETTLE_MS, type PolledChange } from '../../compositor/live-edit/sources';
import { sourceHash } from '../../compositor/live-edit/source-hash';

const URL_ = 'http://other.example/g.js';

/** A server whose file and validators the test sets; counts the requests it answers. */
function server(initial: { text: string; lastModified?: string; etag?: string }) {
  const file = { ...initial };
  let requests = 0;
  const fetchImpl = (): Promise<Response> => {
    requests += 1;
    const headers: Record<string, string> = { 'content-type': 'text/javascript', 'content-length': String(file.text.length) };
    if (file.lastModified) headers['last-modified'] = file.lastModified;
    if (file.etag) headers.etag = file.etag;
    return Promise.resolve(new Response(file.text, { headers }));
  };
  return { file, fetchImpl, requests: () => requests };
}

function poller(fetchImpl: () => Promise<Response>) {
  let t = 0;
  const changes: PolledChange[] = [];
  const p = new Poller((_url, change) => changes.push(change), 250, fetchImpl, () => t);
  const poll = async (advance = 250) => {
    t += advance;
    await Promise.all(p.pollAll());
  };
  return { p, changes, poll, at: () => t };
}

describe('guest URL poller', () => {
  it('reads and hashes an unchanged file only until its validators settle, then answers from them alone', async () => {
    const s = server({ text: 'export default {};', lastModified: 'Tue, 01 Dec 2026 10:00:00 GMT' });
    const { p, changes, poll } = poller(s.fetchImpl);
    p.watch(URL_, sourceHash('export default {};'));
    const polls = Math.ceil(VALIDATOR_SETTLE_MS / 250) + 8;
    for (let i = 0; i < polls; i++) await poll();
    expect(changes).toHaveLength(0);
    expect(s.requests(), 'one request per poll').toBe(polls);
    // Read while the validators were new (the first poll, then those within the settling time), then not.
    expect(p.counts.read).toBeLessThanOrEqual(Math.ceil(VALIDATOR_SETTLE_MS / 250) + 1);
    expect(p.counts.skipped).toBeGreaterThanOrEqual(polls - Math.ceil(VALIDATOR_SETTLE_MS / 250) - 1);
    p.dispose();
  });

  it('finds a save within the same second, of the same length, under unchanged validators', async () => {
    const lastModified = 'Tue, 01 Dec 2026 10:00:00 GMT';
    const s = server({ text: 'const c = "ff0000";', lastModified });
    const { p, changes, poll } = poller(s.fetchImpl);
    p.watch(URL_, sourceHash('const c = "ff0000";'));
    await poll(); // validators first seen
    s.file.text = 'const c = "00ff00";'; // same length, same Last-Modified second
    await poll();
    expect(changes.map((c) => c.source.text)).toEqual(['const c = "00ff00";']);
    p.dispose();
  });

  it('finds a change once settled, when the validators change with it', async () => {
    const s = server({ text: 'a', etag: 'W/"1-1"' });
    const { p, changes, poll } = poller(s.fetchImpl);
    p.watch(URL_, sourceHash('a'));
    for (let i = 0; i < 20; i++) await poll();
    const readBefore = p.counts.read;
    expect(p.counts.skipped).toBeGreaterThan(0);
    Object.assign(s.file, { text: 'bb', etag: 'W/"2-2"' });
    await poll();
    expect(changes.map((c) => c.source.text)).toEqual(['bb']);
    expect(p.counts.read).toBe(readBefore + 1);
    p.dispose();
  });

  it('always reads a file served without validators', async () => {
    const s = server({ text: 'a' });
    const { p, poll } = poller(async () => {
      const r = await s.fetchImpl();
      return new Response(await r.text(), { headers: { 'content-type': 'text/javascript' } });
    });
    p.watch(URL_, sourceHash('a'));
    for (let i = 0; i < 20; i++) await poll();
    expect(p.counts.skipped).toBe(0);
    expect(p.counts.read).toBe(20);
    p.dispose();
  });
});
