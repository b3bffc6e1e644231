import { describe, expect, it } from 'vitest';
import { GuestLoadError, checkGuestModule, describeThrown, diagnoseFetch } from '../../guest-runtime/guest-loader';

describe('guest module contract check (load phase)', () => {
  it('accepts a default export with frame and optional setup/snapshot', () => {
    const guest = { frame() {}, setup() {}, snapshot() {} };
    expect(checkGuestModule({ default: guest })).toBe(guest);
    expect(checkGuestModule({ default: { frame() {} } })).toBeTruthy();
    expect(checkGuestModule({ default: { setup() {} } }), 'a WebXR-shaped guest: setup starts its session').toBeTruthy();
  });

  it.each([
    ['no default export', { frame() {} }, /no default export/],
    ['a null default', { default: null }, /default export is null/],
    ['a function default', { default: () => {} }, /default export is function/],
    ['no frame and no setup', { default: { snapshot() {} } }, /no frame\(ctx\) function \(nor a setup\(ctx\) that starts a WebXR session/],
    ['a non-function frame beside setup', { default: { setup() {}, frame: 1 } }, /frame is number/],
    ['a non-function setup', { default: { frame() {}, setup: 3 } }, /setup is number/],
    ['a non-function snapshot', { default: { frame() {}, snapshot: 'x' } }, /snapshot is string/],
  ])('rejects %s', (_name, namespace, message) => {
    expect(() => checkGuestModule(namespace)).toThrow(GuestLoadError);
    expect(() => checkGuestModule(namespace)).toThrow(message);
  });
});

describe('describing what a guest threw', () => {
  it('keeps the error name and the stack', () => {
    const e = new TypeError('bad');
    const d = describeThrown(e);
    expect(d.message).toBe('TypeError: bad');
    expect(d.stack).toContain('bad');
  });
  it('handles non-Error throws and unprintable ones', () => {
    expect(describeThrown('oops').message).toBe('non-Error thrown: oops');
    const unprintable = { toString() { throw new Error('no'); } };
    expect(describeThrown(unprintable).message).toMatch(/unprintable/);
  });
});

describe('diagnosing a failed module fetch', () => {
  const respond = (status: number, type: string | null) =>
    (async () => new Response('x', { status, headers: type ? { 'content-type': type } : {} })) as unknown as typeof fetch;
  it('names an HTTP error', async () => {
    expect(await diagnoseFetch('http://h/a.js', respond(404, 'text/plain'))).toMatch(/^HTTP 404/);
  });
  it('names a non-JavaScript MIME type', async () => {
    expect(await diagnoseFetch('http://h/a.txt', respond(200, 'text/plain'))).toMatch(/served as text\/plain, not as JavaScript/);
  });
  it('names a network or CORS failure', async () => {
    const failing = (async () => { throw new TypeError('Failed to fetch'); }) as unknown as typeof fetch;
    expect(await diagnoseFetch('http://h/a.js', failing)).toMatch(/Access-Control-Allow-Origin/);
  });
  it('says nothing when the file itself is fine (the error is elsewhere)', async () => {
    expect(await diagnoseFetch('http://h/a.js', respond(200, 'text/javascript; charset=utf-8'))).toBeNull();
  });
});
