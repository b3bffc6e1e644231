// A reload's time, phase by phase: from the save to the new version's pixels. The editor stamps
// each step as it happens (ReloadTiming, performance.now() ms); this turns the stamps into
// figures. Pure. A phase not reached (a rejected version, a path without that step) is absent.
//
//   saved ─detect─▶ detected ─fetch─▶ (queue) ─▶ began ─start─▶ runtime up ─load─▶ ─setup─▶ started
//     ─first frame─▶ first frame ─vetting─▶ passed ─handover─▶ handed over ─swap─▶ swapped

/** When a version's reload passed each step. */
export interface ReloadTiming {
  /** The save, where the source says when (the dev server: the file's modification time). */
  savedAt?: number | undefined;
  /** The change reached the page (the dev server's event, a poll's answer, an API call). */
  detectedAt: number;
  /** Fetching its text (0: the dev server's event carried it). */
  fetchMs: number;
  /** Its vetting began (after the vetting of an earlier save, if one was under way). */
  began?: number | undefined;
  /** Its worker's runtime beat for the first time (a warm worker's beats at once). */
  runtimeUp?: number | undefined;
  /** Whether its worker was warm (made ahead of the save) or started for it. */
  warm?: boolean | undefined;
  /** Measured by the runtime: importing the module, and its setup(). */
  loadMs?: number | undefined;
  setupMs?: number | undefined;
  /** Load and setup reported done. */
  started?: number | undefined;
  firstFrame?: number | undefined;
  /** The frame-rate verdict said pass. */
  passed?: number | undefined;
  handedOver?: number | undefined;
  /** It took its layer over (a frame boundary). */
  swapped?: number | undefined;
}

/** Each phase in ms (rounded to 0.1), and the whole: save (or detection) to swap. */
export interface ReloadPhases {
  detect?: number;
  fetch?: number;
  queue?: number;
  start?: number;
  load?: number;
  setup?: number;
  firstFrame?: number;
  vetting?: number;
  handover?: number;
  swap?: number;
  total?: number;
  warm?: boolean;
}

export const RELOAD_PHASES = ['detect', 'fetch', 'queue', 'start', 'load', 'setup', 'firstFrame', 'vetting', 'handover', 'swap'] as const;

const span = (from: number | undefined, to: number | undefined): number | undefined =>
  from === undefined || to === undefined ? undefined : Math.round(Math.max(0, to - from) * 10) / 10;
const round = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : Math.round(Math.max(0, ms) * 10) / 10);

export function reloadPhases(t: ReloadTiming): ReloadPhases {
  // Start is the worker's own part: from vetting's beginning to its runtime's first beat.
  // Load and setup are the runtime's measures; the first frame counts from their end.
  const phases: ReloadPhases = {
    detect: span(t.savedAt, t.detectedAt),
    fetch: round(t.fetchMs),
    queue: span(t.detectedAt + t.fetchMs, t.began),
    start: span(t.began, t.runtimeUp),
    load: round(t.loadMs),
    setup: round(t.setupMs),
    firstFrame: span(t.started, t.firstFrame),
    vetting: span(t.firstFrame, t.passed),
    handover: span(t.passed, t.handedOver),
    swap: span(t.handedOver, t.swapped),
    total: span(t.savedAt ?? t.detectedAt, t.swapped),
    warm: t.warm,
  };
  for (const key of Object.keys(phases) as (keyof ReloadPhases)[]) if (phases[key] === undefined) delete phases[key];
  return phases;
}

/** One line for the HUD: "412 ms, warm: start 10 · load 30 · setup 120 · …" (phases under 1 ms left out). */
export function describePhases(p: ReloadPhases): string {
  const parts = RELOAD_PHASES.filter((k) => (p[k] ?? 0) >= 1).map((k) => `${k} ${Math.round(p[k]!)}`);
  const total = p.total !== undefined ? `${Math.round(p.total)} ms` : 'so far';
  return `${total}${p.warm ? ', warm worker' : ''}: ${parts.join(' · ')}`;
}
