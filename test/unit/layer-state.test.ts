import { describe, expect, it } from 'vitest';
import { LAYER_STATES, isComposited, transition, wantsFrames, type LayerState } from '../../compositor/layer-state';

describe('layer lifecycle', () => {
  it('goes loading → running on the first frame and stays running on later ones', () => {
    expect(transition('loading', { type: 'frame-delivered' })).toBe('running');
    expect(transition('running', { type: 'frame-delivered' })).toBe('running');
  });

  it('comes back to running from stale or dropped when a frame arrives', () => {
    expect(transition('stale', { type: 'frame-delivered' })).toBe('running');
    expect(transition('dropped', { type: 'frame-delivered' })).toBe('running');
  });

  it('fails from any live state, and a late frame does not revive a failed layer', () => {
    for (const s of ['loading', 'running', 'stale', 'dropped'] as LayerState[]) {
      expect(transition(s, { type: 'failed' })).toBe('failed');
    }
    expect(transition('failed', { type: 'frame-delivered' })).toBe('failed');
  });

  it('closes from every state, and closed is final', () => {
    for (const s of LAYER_STATES) expect(transition(s, { type: 'unloaded' })).toBe('closed');
    expect(transition('closed', { type: 'frame-delivered' })).toBe('closed');
    expect(transition('closed', { type: 'failed' })).toBe('closed');
  });

  it('asks only live layers for frames and draws only running or stale ones', () => {
    expect(LAYER_STATES.filter(wantsFrames)).toEqual(['loading', 'running', 'stale', 'dropped']);
    expect(LAYER_STATES.filter(isComposited)).toEqual(['running', 'stale']);
  });
});
