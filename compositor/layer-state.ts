// A layer's lifecycle: one union of states and one transition function that owns
// every change. The HUD and stats() only read the state; nothing else writes it.
//
//            first frame                 deadline missed           grace used up
//   loading ────────────▶ running ───────────────────▶ stale ──────────────────▶ dropped
//      ▲                    ▲  ◀──────── frame ─────────┘                           │
//      │                    └──────────────────────── frame ────────────────────────┘
//      │ respawned
//   restarting ◀──── crashed (hang, frame error, protocol, too slow to start) ── any live state
//      │
//      └── past the restart limit ──▶ quarantined ── retried ──▶ loading
//   bad module / setup threw ──▶ failed ── retried ──▶ loading
//   any ── unloaded ──▶ closed (final)

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
  /** A frame request passed its deadline undelivered. */
  | { type: 'deadline-missed' }
  /** A stale layer used up its grace frames. */
  | { type: 'grace-expired' }
  /** The guest crashed and will be restarted. */
  | { type: 'crashed' }
  /** A new worker was spawned for a restarting layer. */
  | { type: 'respawned' }
  /** The guest crashed too often (or was evicted) and is held until a user retries it. */
  | { type: 'quarantined' }
  /** The guest can never work as loaded (bad module, setup threw). */
  | { type: 'failed' }
  /** A user asked to try a quarantined or failed layer again. */
  | { type: 'retried' }
  /** The user unloaded the layer. */
  | { type: 'unloaded' }
  /** A vetted new version took over the layer (hot reload, undo, redo). */
  | { type: 'version-swapped' };

const LIVE: readonly LayerState[] = ['loading', 'running', 'stale', 'dropped'];

/** The one place a layer's state changes. A combination not listed keeps the state (safe default). */
export function transition(state: LayerState, event: LayerEvent): LayerState {
  if (state === 'closed') return 'closed';
  const live = LIVE.includes(state);
  switch (event.type) {
    case 'frame-delivered':
      return live ? 'running' : state;
    case 'deadline-missed':
      return state === 'running' ? 'stale' : state;
    case 'grace-expired':
      return state === 'stale' ? 'dropped' : state;
    case 'crashed':
      return live ? 'restarting' : state;
    case 'respawned':
      return state === 'restarting' ? 'loading' : state;
    case 'quarantined':
      return live || state === 'restarting' ? 'quarantined' : state;
    case 'failed':
      return live || state === 'restarting' ? 'failed' : state;
    case 'retried':
      return state === 'quarantined' || state === 'failed' ? 'loading' : state;
    case 'unloaded':
      return 'closed';
    case 'version-swapped':
      return 'running';
    default: {
      const check: never = event;
      void check;
      return state;
    }
  }
}

/** States in which the layer has a guest that should be asked for frames. */
export function wantsFrames(state: LayerState): boolean {
  return LIVE.includes(state);
}

/** States in which the layer's last frame is drawn. */
export function isComposited(state: LayerState): boolean {
  return state === 'running' || state === 'stale';
}

/** States in which the layer has a guest or will again (input focus stays with it). */
export function holdsFocus(state: LayerState): boolean {
  return LIVE.includes(state) || state === 'restarting';
}
