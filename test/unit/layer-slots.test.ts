import { beforeAll, describe, expect, it } from 'vitest';
import { describeError } from '../../compositor/layer';
import { GuestRun } from '../../compositor/guests/guest-run';
import type { GuestHost } from '../../compositor/guest-host';
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

/** A run on a host that does nothing (the slots never touch it). */
const newRun = () => new GuestRun({ kind: 'layer', id: 1 }, 'u', { width: 8, height: 8 }, 0, 0, () => ({}) as GuestHost);

describe('a run\'s frame slots', () => {
  beforeAll(() => {
    // Keep state-change logging quiet.
    console.debug = () => {};
  });

  it('accepts the frame that answers the request in flight and frees the slot', () => {
    const run = newRun();
    run.inFlight = request(5);
    const f = frame(5);
    expect(run.deliver(f, 10)).toBe('taken');
    expect(run.inFlight).toBeNull();
    expect(run.lastLatencyMs).toBe(10);
    expect(run.takeDelivered()).toBe(f);
    expect(run.takeDelivered()).toBeNull();
  });

  it('closes a frame that answers no request, and keeps the request open', () => {
    const run = newRun();
    run.inFlight = request(5);
    const forged = frame(4);
    expect(run.deliver(forged, 10)).toBe('unasked');
    expect(forged.bitmap.closed).toBe(true);
    expect(run.inFlight?.frameId).toBe(5);
  });

  it('holds at most one delivered bitmap: a newer one closes the older at once', () => {
    const run = newRun();
    run.inFlight = request(1);
    const first = frame(1);
    run.deliver(first, 10);
    run.inFlight = request(2);
    const second = frame(2);
    expect(run.deliver(second, 10)).toBe('superseded');
    expect(first.bitmap.closed).toBe(true);
    expect(second.bitmap.closed).toBe(false);
    expect(run.takeDelivered()).toBe(second);
  });

  it('releases everything it holds', () => {
    const run = newRun();
    run.inFlight = request(1);
    const f = frame(1);
    run.deliver(f, 10);
    run.releaseFrames();
    expect(f.bitmap.closed).toBe(true);
    expect(run.delivered).toBeNull();
  });

  it('describes errors with the URL and the phase', () => {
    expect(describeError('http://x/a.js', { phase: 'setup', message: 'boom' })).toBe('setup failed for http://x/a.js: boom');
  });
});
