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

/** Events kept: at 60 fps with 8 busy guests, about 40 s. */
export const TRACE_CAPACITY = 65_536;

export class TraceRecorder {
  private readonly events: (TraceEvent | undefined)[];
  private next = 0;
  private count = 0;

  constructor(private readonly capacity = TRACE_CAPACITY) {
    this.events = new Array<TraceEvent | undefined>(capacity);
  }

  record(event: TraceEvent): void {
    this.events[this.next] = event;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Events that started at or after `since` (ms), oldest first. */
  since(since: number): TraceEvent[] {
    const out: TraceEvent[] = [];
    for (let i = 0; i < this.count; i++) {
      const e = this.events[(this.next - this.count + i + this.capacity) % this.capacity]!;
      if (e.t >= since) out.push(e);
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
