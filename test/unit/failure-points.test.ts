// One test per point a guest can fail (load, setup, frame, snapshot) and what each means for
// its layer, driven through the policy functions and the one transition function with a fake clock.
import { describe, expect, it } from 'vitest';
import { failureAction } from '../../compositor/policy/failure';
import { onCrash } from '../../compositor/policy/supervisor';
import { transition, type LayerState } from '../../compositor/layer-state';
import { DEFAULT_POLICY } from '../../shared/limits';

/** What a layer in `state` becomes after a failure in `phase` at time `now`, given earlier crashes. */
function afterFailure(state: LayerState, phase: Parameters<typeof failureAction>[0], history: number[], now: number): LayerState {
  const action = failureAction(phase);
  if (action === 'record') return state;
  if (action === 'fail') return transition(state, { type: 'failed' });
  const decision = onCrash(history, now, DEFAULT_POLICY);
  return transition(state, { type: decision.action === 'quarantine' ? 'quarantined' : 'crashed' });
}

describe('failure points', () => {
  it('load: a module that cannot load fails the layer (a restart would fail the same way)', () => {
    expect(afterFailure('loading', 'load', [], 0)).toBe('failed');
  });

  it('setup: a setup that throws fails the layer', () => {
    expect(afterFailure('loading', 'setup', [], 0)).toBe('failed');
  });

  it('frame: a throwing frame is a crash: restarting, then quarantined past the restart limit', () => {
    expect(afterFailure('running', 'frame', [], 10_000)).toBe('restarting');
    expect(afterFailure('running', 'frame', [9_000, 8_000, 7_000], 10_000)).toBe('quarantined');
  });

  it('snapshot: a throwing snapshot is reported and the guest keeps running', () => {
    expect(afterFailure('running', 'snapshot', [], 0)).toBe('running');
  });

  it('hang, start-up timeout, protocol violation and compositor-side errors are crashes', () => {
    for (const phase of ['hang', 'startup', 'protocol', 'composite'] as const) {
      expect(afterFailure('running', phase, [], 0)).toBe('restarting');
    }
  });

  it('an error guest code throws outside our calls is recorded only', () => {
    expect(afterFailure('running', 'runtime', [], 0)).toBe('running');
  });

  it('a restarting layer comes back through loading, and a quarantined one only when retried', () => {
    expect(transition('restarting', { type: 'respawned' })).toBe('loading');
    expect(transition('quarantined', { type: 'frame-delivered' })).toBe('quarantined');
    expect(transition('quarantined', { type: 'retried' })).toBe('loading');
    expect(transition('failed', { type: 'retried' })).toBe('loading');
  });

  it('stale and dropped: a missed deadline makes a running layer stale, the grace drops it, a frame restores it', () => {
    let s: LayerState = 'running';
    s = transition(s, { type: 'deadline-missed' });
    expect(s).toBe('stale');
    s = transition(s, { type: 'grace-expired' });
    expect(s).toBe('dropped');
    expect(transition(s, { type: 'frame-delivered' })).toBe('running');
    expect(transition('loading', { type: 'deadline-missed' })).toBe('loading');
  });
});
