import { describe, expect, it } from 'vitest';
import { FakeImageBitmap, installFakeImageBitmap } from './fake-image-bitmap';
import { parseGuestMessage, parseGuestUrl, parseInitResult, parseRestoreResult } from '../../shared/protocol';
import { MAX_ERROR_MESSAGE } from '../../shared/limits';

installFakeImageBitmap();

const matrix = () => new Float32Array(16).fill(0.5);
const view = (over: Record<string, unknown> = {}) => ({
  eye: 'left',
  projectionMatrix: matrix(),
  viewMatrix: matrix(),
  viewport: { x: 0, y: 0, width: 64, height: 64 },
  ...over,
});
const frame = (over: Record<string, unknown> = {}) => ({
  type: 'frame',
  frameId: 3,
  bitmap: new FakeImageBitmap(),
  views: [view(), view({ eye: 'right' })],
  renderMs: 2.5,
  gpuMs: 1.5,
  ...over,
});

describe('guest message validation', () => {
  it('accepts a well-formed frame and error', () => {
    expect(parseGuestMessage(frame()).ok).toBe(true);
    const e = parseGuestMessage({ type: 'error', phase: 'setup', message: 'x', stack: 's' });
    expect(e).toEqual({ ok: true, value: { type: 'error', phase: 'setup', message: 'x', stack: 's' } });
  });

  it.each([
    ['unknown type', { type: 'hello' }],
    ['not an object', 42],
    ['null', null],
    ['bitmap that is not an ImageBitmap', frame({ bitmap: {} })],
    ['negative frame id', frame({ frameId: -1 })],
    ['fractional frame id', frame({ frameId: 1.5 })],
    ['NaN in a matrix', frame({ views: [view({ viewMatrix: new Float32Array(16).fill(NaN) })] })],
    ['short matrix', frame({ views: [view({ projectionMatrix: new Float32Array(15) })] })],
    ['plain array matrix', frame({ views: [view({ projectionMatrix: Array(16).fill(0) })] })],
    ['three views', frame({ views: [view(), view(), view()] })],
    ['no views', frame({ views: [] })],
    ['bad eye', frame({ views: [view({ eye: 'middle' })] })],
    ['huge viewport', frame({ views: [view({ viewport: { x: 0, y: 0, width: 1e9, height: 1 } })] })],
    ['infinite render time', frame({ renderMs: Infinity })],
    ['negative GPU time', frame({ gpuMs: -1 })],
    ['no GPU time', frame({ gpuMs: undefined })],
    ['extra field', frame({ evil: true })],
    ['unknown phase', { type: 'error', phase: 'boot', message: 'x' }],
    ['message not a string', { type: 'error', phase: 'frame', message: { toString: (): string => 'x' } }],
  ])('rejects %s with a reason', (_name, message) => {
    const parsed = parseGuestMessage(message);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason.length).toBeGreaterThan(0);
  });

  it('never throws, even on a hostile object', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('gotcha'); }, has: () => { throw new Error('gotcha'); }, ownKeys: () => { throw new Error('gotcha'); } });
    expect(() => parseGuestMessage(hostile)).not.toThrow();
    expect(parseGuestMessage(hostile).ok).toBe(false);
  });

  it('clips an oversized error message', () => {
    const parsed = parseGuestMessage({ type: 'error', phase: 'frame', message: 'x'.repeat(100_000) });
    expect(parsed.ok && parsed.value.type === 'error' && parsed.value.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE + 1);
  });

  it('validates init answers', () => {
    expect(parseInitResult({ ok: true, layer: { type: 'projection' } }).ok).toBe(true);
    expect(parseInitResult({ ok: true }).ok).toBe(false);
    expect(parseInitResult({ ok: false, phase: 'load', message: 'm' }).ok).toBe(true);
    expect(parseInitResult({ ok: 'yes' }).ok).toBe(false);
    expect(parseInitResult(undefined).ok).toBe(false);
    expect(parseInitResult({ ok: true, layer: { type: 'projection' }, restores: true })).toMatchObject({ ok: true, value: { restores: true } });
    expect(parseInitResult({ ok: true, layer: { type: 'projection' }, restores: 'yes' }).ok).toBe(false);
  });

  it('validates restore answers', () => {
    expect(parseRestoreResult({ ok: true, restored: false })).toEqual({ ok: true, value: { ok: true, restored: false } });
    expect(parseRestoreResult({ ok: true }).ok).toBe(false);
    expect(parseRestoreResult({ ok: false, phase: 'restore', message: 'm' }).ok).toBe(true);
    expect(parseRestoreResult({ ok: false, phase: 'nowhere', message: 'm' }).ok).toBe(false);
    expect(parseRestoreResult(null).ok).toBe(false);
  });
});

describe('guest URLs', () => {
  const base = 'http://127.0.0.1:5173/';
  it('resolves relative URLs against the page', () => {
    expect(parseGuestUrl('demos/cubes.js', base)).toEqual({ ok: true, value: 'http://127.0.0.1:5173/demos/cubes.js' });
  });
  it('keeps absolute cross-origin URLs', () => {
    expect(parseGuestUrl('https://cdn.example/x.js', base)).toEqual({ ok: true, value: 'https://cdn.example/x.js' });
  });
  it.each([[''], ['javascript:alert(1)'], ['data:text/javascript,export default {}'], [42], ['x'.repeat(5000)]])(
    'refuses %s',
    (raw) => {
      expect(parseGuestUrl(raw, base).ok).toBe(false);
    },
  );
});
