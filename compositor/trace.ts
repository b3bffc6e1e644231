// Frame timing, kept for the last seconds and exported as a Chrome trace-event file (JSON) that
// opens in Perfetto's UI (ui.perfetto.dev) or chrome://tracing. One track for the compositor's
// frames, one per guest: its frames as slices from request to delivery, and instants for
// composite, deadline missed, restart and reload. A ring buffer: recording is O(1) and bounded.

export type TraceKind = 'frame' | 'request' | 'deliver' | 'composite' | 'miss' | 'restart' | 'reload' | 'state';

export interface TraceEvent {
  kind: TraceKind;
  /** Start, ms on the page clock (performance.now). */
  t: number;
  /** Duration, ms (frame: the compositor's work; deliver: request → delivery). */
  dur?: number | undefined;
  /** The layer it belongs to (none for compositor frames). */
  layer?: number | undefined;
  args?: Record<string, string | number | boolean> | undefined;
}

/** Events kept: at 60 fps with 8 busy guests, about 20 s. */
export const TRACE_CAPACITY = 32_768;

/** The arguments each kind keeps: numbers and strings in fixed slots (so the ring never allocates). */
const NUMERIC: Record<TraceKind, readonly string[]> = {
  frame: ['frame', 'time'],
  request: ['frameId', 'pace', 'scale', 'predictedMs'],
  deliver: ['frameId', 'renderMs'],
  composite: ['frameId'],
  miss: ['frameId'],
  restart: ['inMs'],
  reload: ['version', 'stagingLayer', 'total'],
  state: [],
};
const TEXT: Record<TraceKind, readonly string[]> = {
  frame: [],
  request: [],
  deliver: [],
  composite: [],
  miss: [],
  restart: ['phase', 'reason'],
  reload: ['outcome', 'trigger', 'phase', 'message', 'phases'],
  state: ['to', 'event'],
};
const KINDS: readonly TraceKind[] = ['frame', 'request', 'deliver', 'composite', 'miss', 'restart', 'reload', 'state'];
const KIND_INDEX = new Map(KINDS.map((kind, i) => [kind, i]));
const NUMS = 3;
const TEXTS = 5;
/** Longest text argument kept, characters. */
const TEXT_MAX = 200;

/**
 * A ring of events in preallocated columns: recording costs no memory once the recorder exists,
 * so its footprint is fixed from the start (a leak check sees it flat).
 */
export class TraceRecorder {
  private readonly kind: Uint8Array;
  private readonly t: Float64Array;
  private readonly dur: Float64Array;
  private readonly layer: Int32Array;
  private readonly nums: Float64Array;
  private readonly texts: (string | undefined)[];
  private next = 0;
  private count = 0;

  constructor(private readonly capacity = TRACE_CAPACITY) {
    this.kind = new Uint8Array(capacity);
    this.t = new Float64Array(capacity);
    this.dur = new Float64Array(capacity);
    this.layer = new Int32Array(capacity);
    this.nums = new Float64Array(capacity * NUMS);
    this.texts = new Array<string | undefined>(capacity * TEXTS).fill(undefined);
  }

  record(event: TraceEvent): void {
    const i = this.next;
    this.kind[i] = KIND_INDEX.get(event.kind)!;
    this.t[i] = event.t;
    this.dur[i] = event.dur ?? NaN;
    this.layer[i] = event.layer ?? -1;
    // Called many times a frame: plain loops, nothing allocated here.
    const numeric = NUMERIC[event.kind];
    for (let k = 0; k < NUMS; k++) {
      const v = k < numeric.length ? event.args?.[numeric[k]!] : undefined;
      this.nums[i * NUMS + k] = typeof v === 'number' ? v : NaN;
    }
    const text = TEXT[event.kind];
    for (let k = 0; k < TEXTS; k++) {
      const v = k < text.length ? event.args?.[text[k]!] : undefined;
      this.texts[i * TEXTS + k] = v === undefined ? undefined : String(v).slice(0, TEXT_MAX);
    }
    this.next = (i + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Events that started at or after `since` (ms), oldest first. */
  since(since: number): TraceEvent[] {
    const out: TraceEvent[] = [];
    for (let n = 0; n < this.count; n++) {
      const i = (this.next - this.count + n + this.capacity) % this.capacity;
      if (this.t[i]! < since) continue;
      const kind = KINDS[this.kind[i]!]!;
      const args: Record<string, string | number | boolean> = {};
      NUMERIC[kind].forEach((key, k) => {
        const v = this.nums[i * NUMS + k]!;
        if (!Number.isNaN(v)) args[key] = v;
      });
      TEXT[kind].forEach((key, k) => {
        const v = this.texts[i * TEXTS + k];
        if (v !== undefined) args[key] = v;
      });
      const dur = this.dur[i]!;
      const layer = this.layer[i]!;
      out.push({ kind, t: this.t[i]!, ...(Number.isNaN(dur) ? {} : { dur }), ...(layer >= 0 ? { layer } : {}), args });
    }
    return out;
  }
}

export interface ChromeTraceEvent {
  name: string;
  cat: string;
  ph: 'X' | 'i' | 'M';
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  s?: 't';
  args?: Record<string, unknown>;
}

const PID = 1;
const NAMES: Record<TraceKind, string> = {
  frame: 'compositor frame',
  request: 'frame requested',
  deliver: 'guest frame',
  composite: 'composited',
  miss: 'deadline missed',
  restart: 'restart',
  reload: 'reload',
  state: 'state',
};

/**
 * The Chrome trace-event JSON object format: `{ traceEvents, displayTimeUnit }`, times in µs from
 * the page's time origin. Thread 0 is the compositor; thread N is layer N, named by its URL.
 */
export function toChromeTrace(events: readonly TraceEvent[], layers: ReadonlyMap<number, string>, timeOrigin: number): { traceEvents: ChromeTraceEvent[]; displayTimeUnit: 'ms'; otherData: Record<string, string> } {
  const us = (ms: number) => Math.round(ms * 1000);
  const traceEvents: ChromeTraceEvent[] = [
    { name: 'process_name', cat: '__metadata', ph: 'M', ts: 0, pid: PID, tid: 0, args: { name: 'Steadfast compositor' } },
    { name: 'thread_name', cat: '__metadata', ph: 'M', ts: 0, pid: PID, tid: 0, args: { name: 'compositor frames' } },
  ];
  for (const [id, url] of layers) {
    traceEvents.push({ name: 'thread_name', cat: '__metadata', ph: 'M', ts: 0, pid: PID, tid: id, args: { name: `layer ${id}: ${url}` } });
  }
  for (const e of events) {
    const base = { name: e.kind === 'state' || e.kind === 'reload' ? `${NAMES[e.kind]}: ${String(e.args?.to ?? e.args?.outcome ?? '')}` : NAMES[e.kind], cat: e.layer === undefined ? 'compositor' : 'guest', pid: PID, tid: e.layer ?? 0, ts: us(e.t), args: e.args ?? {} };
    if (e.dur !== undefined) traceEvents.push({ ...base, ph: 'X', dur: Math.max(1, us(e.dur)) });
    else traceEvents.push({ ...base, ph: 'i', s: 't' });
  }
  return { traceEvents, displayTimeUnit: 'ms', otherData: { timeOrigin: new Date(timeOrigin).toISOString(), producer: 'Steadfast' } };
}
