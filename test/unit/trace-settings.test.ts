// The trace ring buffer and its Chrome trace-event output; the emulator's settings checks.
import { describe, expect, it } from 'vitest';
import { TraceRecorder, toChromeTrace } from '../../compositor/trace';
import { checkEmulatorSettings } from '../../compositor/emulator/settings';

describe('trace recorder', () => {
  it('keeps the newest events up to its capacity, oldest first', () => {
    const trace = new TraceRecorder(4);
    for (let t = 0; t < 6; t++) trace.record({ kind: 'frame', t, dur: 1 });
    expect(trace.since(0).map((e) => e.t)).toEqual([2, 3, 4, 5]);
    expect(trace.since(4).map((e) => e.t)).toEqual([4, 5]);
  });

  it('writes Chrome trace events: slices with durations, instants, thread names per layer, times in µs', () => {
    const out = toChromeTrace(
      [
        { kind: 'frame', t: 10, dur: 2.5 },
        { kind: 'deliver', t: 11, dur: 4, layer: 3, args: { frameId: 7 } },
        { kind: 'state', t: 12, layer: 3, args: { to: 'stale', event: 'deadline-missed' } },
      ],
      new Map([[3, 'http://x/guest.js']]),
      0,
    );
    expect(out.displayTimeUnit).toBe('ms');
    const byName = Object.fromEntries(out.traceEvents.map((e) => [e.name === 'thread_name' ? `thread ${e.tid}` : e.name, e]));
    expect(byName['thread 3']!.args).toEqual({ name: 'layer 3: http://x/guest.js' });
    expect(byName['compositor frame']).toMatchObject({ ph: 'X', ts: 10_000, dur: 2_500, tid: 0 });
    expect(byName['guest frame']).toMatchObject({ ph: 'X', ts: 11_000, dur: 4_000, tid: 3, args: { frameId: 7 } });
    expect(byName['state: stale']).toMatchObject({ ph: 'i', s: 't', tid: 3 });
    expect(() => JSON.parse(JSON.stringify(out))).not.toThrow();
  });
});

describe('emulator settings', () => {
  it('accepts what a headset could have and says what it ignores', () => {
    expect(checkEmulatorSettings({ view: 'mono', ipd: 0.07, fovY: 100, hz: 90 })).toEqual({ settings: { view: 'mono', ipd: 0.07, fovY: 100, hz: 90 }, problems: [] });
    const bad = checkEmulatorSettings({ view: 'tri', ipd: 0.5, fovY: 10, hz: 75 });
    expect(bad.settings).toEqual({});
    expect(bad.problems).toHaveLength(4);
    expect(bad.problems.join(' ')).toMatch(/hz=75 ignored: expected 60, 72, 90, 120/);
  });
});
