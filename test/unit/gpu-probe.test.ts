// The GPU probe with a fake clock and a fake compositor: which guests pausing makes it recover.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROBE, initialProbe, probeStep, type ProbeInput, type ProbeState } from '../../compositor/policy/gpu-probe';

/**
 * Runs the probe frame by frame (every `frameMs`) against a compositor whose frame rate is `rate(paused)`;
 * each paused guest goes idle `drainMs` after it is paused. Returns the culprit and when it was found.
 */
function run(opts: { suspects: number[]; rate: (paused: readonly number[]) => number; blocked?: (at: number) => boolean; until?: number; frameMs?: number; drainMs?: number }) {
  let state: ProbeState = initialProbe();
  let paused: readonly number[] = [];
  const pausedAt = new Map<number, number>();
  const groups: number[][] = [];
  for (let at = 0; at <= (opts.until ?? 60_000); at += opts.frameMs ?? 500) {
    const input: ProbeInput = {
      at,
      fps: opts.rate(paused),
      fpsLong: opts.rate(paused),
      nominalFps: 60,
      blocked: opts.blocked?.(at) ?? false,
      suspects: opts.suspects,
      idle: (id) => at - (pausedAt.get(id) ?? at) >= (opts.drainMs ?? 1000),
    };
    const step = probeStep(state, input);
    for (const id of step.paused) if (!paused.includes(id)) pausedAt.set(id, at);
    for (const id of paused) if (!step.paused.includes(id)) pausedAt.delete(id);
    if (step.paused.length > 0 && step.paused.join() !== paused.join()) groups.push([...step.paused]);
    state = step.state;
    paused = step.paused;
    if (step.culprit) return { culprit: step.culprit, at, groups };
  }
  return { culprit: null, at: Infinity, groups };
}

/** A compositor at 1.5 fps while guest `hog` runs, 40 fps while it is paused. */
const hogIs = (hog: number) => (paused: readonly number[]) => (paused.includes(hog) ? 40 : 1.5);

describe('GPU probe', () => {
  it('finds the hog among eight by halving, convicting it only by a test of its own', () => {
    const r = run({ suspects: [1, 2, 3, 4, 5, 6, 7, 8], rate: hogIs(6) });
    expect(r.culprit).toEqual({ id: 6, withFps: 1.5, withoutFps: 40 });
    // [1-4] no → [5,6] yes → [5] no → [6] yes.
    expect(r.groups).toEqual([[1, 2, 3, 4], [5, 6], [5], [6]]);
    // Starved 3 s, then four rounds of (1 s to drain + 1.5 s to measure), at 2 fps of probe steps.
    expect(r.at).toBeLessThan(3000 + 4 * 3000);
  });

  it('convicts nobody when the machine is just overloaded (no single pause makes it recover)', () => {
    const r = run({ suspects: [1, 2, 3, 4], rate: (p) => 1.5 + p.length * 0.5, until: 30_000 });
    expect(r.culprit).toBeNull();
  });

  it('wants a real gain, not just a doubling of almost nothing (0.5 → 2 fps is no recovery)', () => {
    expect(run({ suspects: [1, 2], rate: (p) => (p.includes(2) ? 2 : 0.5), until: 30_000 }).culprit).toBeNull();
    expect(run({ suspects: [1, 2], rate: (p) => (p.includes(2) ? 4 : 0.5), until: 30_000 }).culprit?.id).toBe(2);
  });

  it('does not act while the compositor keeps a third of its rate, or while something else explains the slowness', () => {
    expect(run({ suspects: [1, 2], rate: (p) => (p.includes(2) ? 60 : 21), until: 20_000 }).culprit).toBeNull();
    const blocked = run({ suspects: [1, 2], rate: hogIs(2), blocked: (at) => at < 20_000, until: 40_000 });
    expect(blocked.culprit?.id).toBe(2);
    expect(blocked.at).toBeGreaterThan(20_000 + DEFAULT_PROBE.starvedForMs);
  });

  it('needs the compositor starved for starvedForMs before it pauses anyone', () => {
    let state = initialProbe();
    const input = (at: number, fps: number): ProbeInput => ({ at, fps, fpsLong: fps, nominalFps: 60, blocked: false, suspects: [1, 2], idle: () => true });
    state = probeStep(state, input(0, 2)).state;
    state = probeStep(state, input(2000, 30)).state; // recovered meanwhile: the clock starts again
    state = probeStep(state, input(2500, 2)).state;
    expect(probeStep(state, input(5000, 2)).paused).toEqual([]);
    expect(probeStep(state, input(5500, 2)).paused).toEqual([1]);
  });

  it('gives up a round when its paused guests go away, and waits for the paused guests’ frames to drain', () => {
    let state = probeStep(initialProbe(), { at: 0, fps: 1, fpsLong: 1, nominalFps: 60, blocked: false, suspects: [1, 2], idle: () => false }).state;
    const step = (at: number, suspects: number[], idle: boolean) => probeStep(state, { at, fps: 1, fpsLong: 1, nominalFps: 60, blocked: false, suspects, idle: () => idle });
    state = step(3000, [1, 2], false).state;
    expect(state.kind).toBe('probing');
    // Its frame still in flight: no verdict however long, until the probe's limit.
    expect(step(6000, [1, 2], false).paused).toEqual([1]);
    expect(step(3000 + DEFAULT_PROBE.probeMaxMs + 1, [1, 2], false).state.kind).toBe('watching');
    expect(step(4000, [2], true).state.kind).toBe('watching');
  });
});
