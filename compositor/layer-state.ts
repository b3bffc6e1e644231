// A layer's lifecycle: one union of states and one transition function that owns
// every change. The HUD and stats() only read the state; nothing else writes it.
//
//   loading ──first frame──▶ running ◀──────── frame ─────────┐
//      │                        │                              │
//      └──── failure ──▶ failed ◀── failure       (stale, dropped, restarting and
//                                                  quarantined arrive with the watchdog)
//   any ──unload──▶ closed (final)

export type LayerState =
  | 'loading'
  | 'running'
  | 'stale'
  | 'dropped'
  | 'restarting'
  | 'quarantined'
  | 'failed'
  | 'closed';

export const LAYER_STATES: readonly LayerState[] = [
  'loading',
  'running',
  'stale',
  'dropped',
  'restarting',
  'quarantined',
  'failed',
  'closed',
];

export type LayerEvent =
  /** The guest delivered a frame. */
  | { type: 'frame-delivered' }
  /** The guest failed for good (load, setup, frame); its worker is gone. */
  | { type: 'failed' }
  /** The user unloaded the layer. */
  | { type: 'unloaded' };

/** The one place a layer's state changes. Unknown combinations keep the state (safe default). */
export function transition(state: LayerState, event: LayerEvent): LayerState {
  if (state === 'closed') return 'closed';
  switch (event.type) {
    case 'frame-delivered':
      return state === 'failed' || state === 'quarantined' ? state : 'running';
    case 'failed':
      return 'failed';
    case 'unloaded':
      return 'closed';
    default: {
      const check: never = event;
      void check;
      return state;
    }
  }
}

/** States in which the layer has a guest that should be asked for frames. */
export function wantsFrames(state: LayerState): boolean {
  return state === 'loading' || state === 'running' || state === 'stale' || state === 'dropped';
}

/** States in which the layer's last frame is drawn. */
export function isComposited(state: LayerState): boolean {
  return state === 'running' || state === 'stale';
}
