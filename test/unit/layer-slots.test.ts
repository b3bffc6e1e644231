import { beforeAll, describe, expect, it } from 'vitest';
import { Layer, describeError } from '../../compositor/layer';
import type { FrameDelivery } from '../../shared/protocol';
import { scheduleRequest } from '../../compositor/policy/watchdog';

const request = (id: number, sentAt = 0) => scheduleRequest(id, sentAt, 0, 16.7, 1);

class FakeBitmap {
  closed = false;
  close() {
    this.closed = true;
  }
}

function frame(frameId: number): FrameDelivery & { bitmap: FakeBitmap } {
  return { type: 'frame', frameId, bitmap: new FakeBitmap() as unknown as ImageBitmap & FakeBitmap, views: [], renderMs: 1 } as never;
}

describe('layer frame slots', () => {
  beforeAll(() => {
    // Keep state-change logging quiet.
    console.debug = () => {};
  });

  it('accepts the frame that answers the request in flight and frees the slot', () => {
    const layer = new Layer(1, 'u', { width: 8, height: 8 });
    layer.inFlight = request(5);
    const f = frame(5);
    expect(layer.deliver(f, 10)).toBe(true);
    expect(layer.inFlight).toBeNull();
    expect(layer.lastLatencyMs).toBe(10);
    expect(layer.takeDelivered()).toBe(f);
    expect(layer.takeDelivered()).toBeNull();
  });

  it('closes a frame that answers no request, and keeps the request open', () => {
    const layer = new Layer(1, 'u', { width: 8, height: 8 });
    layer.inFlight = request(5);
    const forged = frame(4);
    expect(layer.deliver(forged, 10)).toBe(false);
    expect(forged.bitmap.closed).toBe(true);
    expect(layer.inFlight?.frameId).toBe(5);
  });

  it('holds at most one delivered bitmap: a newer one closes the older at once', () => {
    const layer = new Layer(1, 'u', { width: 8, height: 8 });
    layer.inFlight = request(1);
    const first = frame(1);
    layer.deliver(first, 10);
    layer.inFlight = request(2);
    const second = frame(2);
    layer.deliver(second, 10);
    expect(first.bitmap.closed).toBe(true);
    expect(second.bitmap.closed).toBe(false);
    expect(layer.superseded).toBe(1);
    expect(layer.takeDelivered()).toBe(second);
  });

  it('releases everything it holds', () => {
    const layer = new Layer(1, 'u', { width: 8, height: 8 });
    layer.inFlight = request(1);
    const f = frame(1);
    layer.deliver(f, 10);
    layer.releaseFrames();
    expect(f.bitmap.closed).toBe(true);
    expect(layer.delivered).toBeNull();
  });

  it('describes errors with the URL and the phase', () => {
    expect(describeError('http://x/a.js', { phase: 'setup', message: 'boom' })).toBe('setup failed for http://x/a.js: boom');
  });
});
