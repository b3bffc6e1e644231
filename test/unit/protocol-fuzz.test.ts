// Property-based fuzzing of the guest message validator: 100k random and forged messages.
// No exception escapes, nothing invalid is accepted, and Object.prototype is untouched.
import { describe, expect, it } from 'vitest';
import { FakeImageBitmap, installFakeImageBitmap } from './fake-image-bitmap';
import fc from 'fast-check';
import { parseGuestMessage } from '../../shared/protocol';

installFakeImageBitmap();

const small = fc.anything({ maxDepth: 2, maxKeys: 4 });
const validView = fc.record({
  eye: fc.constantFrom('left', 'right', 'none'),
  projectionMatrix: fc.float32Array({ minLength: 16, maxLength: 16, noDefaultInfinity: true, noNaN: true }),
  viewMatrix: fc.float32Array({ minLength: 16, maxLength: 16, noDefaultInfinity: true, noNaN: true }),
  viewport: fc.record({ x: fc.nat(4096), y: fc.nat(4096), width: fc.nat(4096), height: fc.nat(4096) }),
});
const validMessage = fc.oneof(
  fc.record({
    type: fc.constant('frame'),
    frameId: fc.nat(),
    bitmap: fc.constant(null).map(() => new FakeImageBitmap()),
    views: fc.array(validView, { minLength: 1, maxLength: 2 }),
    renderMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
    gpuMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
  }),
  fc.record({ type: fc.constant('error'), phase: fc.constantFrom('load', 'setup', 'frame', 'snapshot', 'runtime'), message: fc.string() }),
  fc.constant({ type: 'alive' }),
);
/** A valid message with one field replaced by anything, or one extra field added. */
const mutated = fc.tuple(validMessage, fc.constantFrom('type', 'frameId', 'bitmap', 'views', 'renderMs', 'gpuMs', 'phase', 'message', 'stack', 'extra', '__proto__'), small).map(
  ([m, key, value]) => {
    const copy: Record<string, unknown> = { ...m };
    Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
    return copy;
  },
);

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort().join();

const matrix = fc.oneof(
  fc.float32Array({ minLength: 16, maxLength: 16 }),
  fc.float32Array({ minLength: 0, maxLength: 20 }),
  fc.array(fc.double(), { minLength: 16, maxLength: 16 }),
  small,
);
const forgedView = fc.record(
  {
    eye: fc.oneof(fc.constantFrom('left', 'right', 'none', '__proto__', 'constructor'), small),
    projectionMatrix: matrix,
    viewMatrix: matrix,
    viewport: fc.oneof(fc.record({ x: fc.integer(), y: fc.integer(), width: fc.integer(), height: fc.integer() }), small),
  },
  { requiredKeys: [] },
);
const forgedFrame = fc.record(
  {
    type: fc.constantFrom('frame', 'error', 'alive', 'frame-request', 'hello', '__proto__'),
    frameId: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(Number.NaN)),
    bitmap: fc.oneof(fc.constant(new FakeImageBitmap()), small),
    views: fc.oneof(fc.array(forgedView, { maxLength: 4 }), small),
    renderMs: fc.oneof(fc.double(), small),
    gpuMs: fc.oneof(fc.double(), small),
    phase: fc.oneof(fc.constantFrom('load', 'setup', 'frame', 'snapshot', 'runtime', 'boot'), small),
    message: fc.oneof(fc.string(), fc.string({ minLength: 5000, maxLength: 20000 }), small),
    stack: small,
    constructor: small,
  },
  { requiredKeys: ['type'] },
);
const hostile = fc.constantFrom<unknown>(
  JSON.parse('{"type":"frame","__proto__":{"polluted":true}}'),
  JSON.parse('{"type":"error","phase":"frame","message":"x","constructor":{"prototype":{"polluted":true}}}'),
  new Proxy({}, { get: () => { throw new Error('trap'); } }),
  new Proxy({ type: 'frame' }, { ownKeys: () => { throw new Error('trap'); } }),
  Object.create(null),
  Object.defineProperty({ type: 'error', phase: 'frame' }, 'message', { get: () => { throw new Error('getter'); }, enumerable: true }),
);

describe('validator fuzzing', () => {
  it('survives 100,000 random and forged messages without throwing, accepting only valid ones, leaving Object.prototype alone', () => {
    const before = prototypeKeys();
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 2, arbitrary: small },
          { weight: 3, arbitrary: forgedFrame },
          { weight: 3, arbitrary: mutated },
          { weight: 1, arbitrary: validMessage },
          { weight: 1, arbitrary: hostile },
        ),
        (message) => {
        const parsed = parseGuestMessage(message);
        if (parsed.ok) {
          accepted += 1;
          const m = parsed.value;
          if (m.type === 'frame') {
            expect(m.bitmap).toBeInstanceOf(FakeImageBitmap);
            expect(Number.isInteger(m.frameId) && m.frameId >= 0).toBe(true);
            for (const v of m.views) expect(v.viewMatrix.every(Number.isFinite)).toBe(true);
          }
        } else {
          expect(typeof parsed.reason).toBe('string');
        }
        },
      ),
      { numRuns: 100_000 },
    );
    expect(prototypeKeys()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(accepted).toBeGreaterThan(5_000); // well-formed messages do get through
  }, 120_000);
});
