// Every point a guest can fail at, driven through the real supervisor (guests/supervisor.ts) with
// fake guest hosts and a fake clock: what each failure does to the layer (state, error, restarts),
// that the worker is ended only after the dispatch that reported it, and that a failing version
// under vetting is rejected without touching its live layer.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Supervisor, type VersionEvents } from '../../compositor/guests/supervisor';
import type { GuestHost, GuestHostEvents, PreparedGuest, StartVersion } from '../../compositor/guest-host';
import { Layer } from '../../compositor/layer';
import type { LayerError } from '../../compositor/policy/failure';
import { noteLife, scheduleRequest, START_SLOT_HOLD_MS } from '../../compositor/policy/watchdog';
import type { Staging } from '../../compositor/live-edit/staging';
import { startVetting } from '../../compositor/live-edit/vetting';
import { FrameClock } from '../../compositor/frame-clock';
import { TraceRecorder } from '../../compositor/trace';
import { DEFAULT_POLICY, MAX_STARTING } from '../../shared/limits';
import type { InitResult } from '../../shared/protocol';

/** A guest host that never starts a worker: the test settles its start and sends its events. */
class FakeHost implements GuestHost {
  terminated = false;
  /** recycle() was called (the run ended for a restart), not terminate(). */
  recycled = false;
  /** What recycle() hands back: the container kept with a fresh runtime (a sandboxed frame), or null (it cannot be kept). */
  spare: FakeSpare | null = null;
  strayMessages = 0;
  droppedMessages = 0;
  private settle!: (result: InitResult) => void;
  readonly started = new Promise<InitResult>((resolve) => (this.settle = resolve));
  constructor(
    readonly events: GuestHostEvents,
    readonly version: StartVersion,
    /** The container it was offered (spawnGuest's `prepared`). */
    readonly prepared?: PreparedGuest,
  ) {}
  /** Like spawnGuest: it runs in the offered container only if that is ready. */
  get warm(): boolean {
    return this.prepared?.ready ?? false;
  }
  start = () => this.started;
  requestFrame = () => {};
  snapshot = () => Promise.resolve({ ok: true as const, state: undefined });
  restore = () => Promise.resolve({ ok: true as const, restored: false });
  beginFrame = () => {};
  terminate = () => void (this.terminated = true);
  recycle = () => {
    this.terminated = this.recycled = true;
    return this.spare;
  };
  /** The guest finished loading and setting up, or failed to. */
  async init(result: InitResult = { ok: true, layer: { type: 'projection' } }): Promise<void> {
    this.settle(result);
    await flush();
  }
}

/** A kept container: ready unless told otherwise; records whether it was ended. */
class FakeSpare implements PreparedGuest {
  disposed = false;
  failed = false;
  constructor(readonly ready = true) {}
  dispose(): void {
    this.disposed = true;
  }
}

/** The watchdog's view of a runtime silent before its first frame. */
const SILENT = { silentStart: true, othersHeard: false };

/** Lets pending promise callbacks run (the supervisor's `start().then`), fake timers or not. */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

let now = 0;
let hosts: FakeHost[] = [];
let layers: Map<number, Layer>;
let stagings: Map<number, Staging>;
let failures: { staging: Staging; error: LayerError; started: boolean }[];
let supervisor: Supervisor;

function makeSupervisor(overrides: Partial<typeof DEFAULT_POLICY> = {}): Supervisor {
  const versions: VersionEvents = {
    staging: (id) => stagings.get(id),
    vettingStarted: () => {},
    vettingFrame: () => {},
    vettingFailed: (staging, error, started) => failures.push({ staging, error, started }),
    vettingRefused: (staging, message) => failures.push({ staging, error: { phase: 'frame', message }, started: true }),
    firstVersion: () => {},
  };
  return new Supervisor({
    now: () => now,
    // Each test crashes several young guests in a row: no restart-storm rule here (supervisor.test.ts tests it).
    policy: { ...DEFAULT_POLICY, stormGuests: 0, ...overrides },
    isolation: 'worker',
    clock: new FrameClock(),
    trace: new TraceRecorder(),
    frames: () => 0,
    layer: (id) => layers.get(id),
    layers: () => layers.values(),
    releaseTexture: () => {},
    versions,
    adaptive: true,
    pressure: () => 1,
    compositorGpuBestSince: () => undefined,
    spawn: (_url, _surface, events, _isolation, version, prepared) => {
      const host = new FakeHost(events, version ?? {}, prepared);
      hosts.push(host);
      return host;
    },
  });
}

/** A layer whose first run has started and delivered its first frame (so its start slot is free). */
async function runningLayer(id = 1): Promise<{ layer: Layer; host: FakeHost }> {
  const layer = new Layer(id, `http://guests.test/${id}.js`, { width: 8, height: 8 });
  layers.set(id, layer);
  supervisor.startLayer(layer);
  const host = hosts.at(-1)!;
  await host.init();
  firstFrame(layer, host);
  return { layer, host };
}

/** A running layer whose guest throws in frame() and keeps `spare` as its container (after the crash's dispatch). */
async function crashKeeping(spare: FakeSpare): Promise<{ layer: Layer; host: FakeHost; spare: FakeSpare }> {
  const { layer, host } = await runningLayer();
  host.spare = spare;
  host.events.onError({ type: 'error', phase: 'frame', message: 'frame exploded' });
  await Promise.resolve();
  return { layer, host, spare };
}

/** The layer's run is asked for a frame and delivers it, at the size asked. */
function firstFrame(layer: Layer, host: FakeHost): void {
  const run = layer.liveRun!;
  run.inFlight = scheduleRequest(1, now, 0, 16, 1);
  run.requestSize = { width: 8, height: 8 };
  const bitmap = { width: 8, height: 8, close: () => {} } as unknown as ImageBitmap;
  host.events.onFrame({ type: 'frame', frameId: 1, bitmap, views: [], renderMs: 1, gpuMs: 0 });
}

describe('failure points, through the supervisor', () => {
  beforeAll(() => {
    // Keep the supervisor's logging quiet.
    console.debug = console.info = console.warn = () => {};
  });
  beforeEach(() => {
    now = 10_000;
    hosts = [];
    layers = new Map();
    stagings = new Map();
    failures = [];
    supervisor = makeSupervisor();
  });
  afterEach(() => vi.useRealTimers());

  it('load: a module that cannot load fails the layer, and its worker ends', async () => {
    const layer = new Layer(1, 'http://guests.test/bad.js', { width: 8, height: 8 });
    layers.set(1, layer);
    supervisor.startLayer(layer);
    await hosts[0]!.init({ ok: false, phase: 'load', message: 'SyntaxError: Unexpected token' });
    expect(layer.state).toBe('failed');
    expect(layer.error).toMatchObject({ phase: 'load', message: 'SyntaxError: Unexpected token' });
    expect(hosts[0]!.terminated).toBe(true);
    expect(layer.liveRun).toBeNull();
  });

  it('setup: a setup that throws fails the layer (no restart: it would throw again)', async () => {
    const layer = new Layer(1, 'http://guests.test/a.js', { width: 8, height: 8 });
    layers.set(1, layer);
    supervisor.startLayer(layer);
    await hosts[0]!.init({ ok: false, phase: 'setup', message: 'boom' });
    expect(layer.state).toBe('failed');
    expect(layer.restarts).toBe(0);
    expect(hosts).toHaveLength(1);
  });

  it('frame: a thrown frame crashes the run; its worker ends after the dispatch; a new run starts after the backoff', async () => {
    vi.useFakeTimers();
    const { layer, host } = await runningLayer();
    host.events.onError({ type: 'error', phase: 'frame', message: 'frame exploded' });
    expect(layer.state).toBe('restarting');
    expect(layer.restarts).toBe(1);
    // libwayland's rule: not torn down inside its own callback...
    expect(host.terminated).toBe(false);
    await Promise.resolve();
    // ...but right after it.
    expect(host.terminated).toBe(true);
    vi.advanceTimersByTime(DEFAULT_POLICY.backoffBaseMs);
    expect(layer.state).toBe('loading');
    expect(hosts).toHaveLength(2);
    expect(layer.liveRun?.host).toBe(hosts[1]);
  });

  it('start-up: a runtime silent before its first frame is restarted once; silent again, quarantined (not four tries, each holding a core)', async () => {
    vi.useFakeTimers();
    const layer = new Layer(1, 'http://guests.test/busy.js', { width: 8, height: 8 });
    layers.set(1, layer);
    supervisor.startLayer(layer);
    const silent = { phase: 'startup', message: 'no first frame: no sign of life for 2000 ms while loading or in setup() (limit 2000 ms)' } as const;
    supervisor.crash(layer.liveRun!, silent, SILENT);
    expect(layer.state).toBe('restarting');
    vi.advanceTimersByTime(DEFAULT_POLICY.backoffBaseMs);
    expect(hosts).toHaveLength(2);
    supervisor.crash(layer.liveRun!, silent, SILENT);
    expect(layer.state).toBe('quarantined');
    expect(layer.restarts).toBe(1);
    expect(layer.stateReason).toMatch(/^fell silent before its first frame in 2 starts in a row/);
  });

  it('start-up: silent starts count only in a row: a start that delivers a frame, or a crash of another kind, in between and it restarts as usual', async () => {
    vi.useFakeTimers();
    const silent = { phase: 'startup', message: 'no first frame: no sign of life' } as const;
    // Silent, then a start that delivers a frame and later throws, then silent again: restarted.
    const { layer: a } = await runningLayer(1);
    supervisor.crash(a.liveRun!, silent, SILENT);
    vi.advanceTimersByTime(DEFAULT_POLICY.backoffBaseMs);
    await hosts.at(-1)!.init();
    firstFrame(a, hosts.at(-1)!);
    supervisor.crash(a.liveRun!, { phase: 'frame', message: 'frame exploded' });
    vi.advanceTimersByTime(2 * DEFAULT_POLICY.backoffBaseMs);
    supervisor.crash(a.liveRun!, silent, SILENT);
    expect(a.state).toBe('restarting');
    // Silent, then a hang before any frame (its runtime was heard from), then silent again: restarted.
    const { layer: b } = await runningLayer(2);
    supervisor.crash(b.liveRun!, silent, SILENT);
    vi.advanceTimersByTime(DEFAULT_POLICY.backoffBaseMs);
    supervisor.crash(b.liveRun!, { phase: 'startup', message: 'no first frame within 4000 ms of starting' });
    vi.advanceTimersByTime(2 * DEFAULT_POLICY.backoffBaseMs);
    supervisor.crash(b.liveRun!, silent, SILENT);
    expect(b.state).toBe('restarting');
    expect(b.restarts).toBe(3);
  });

  it('in a restart storm, a young guest hung while the others were heard from is quarantined; hung while all were silent (a starved machine), restarted', async () => {
    vi.useFakeTimers();
    supervisor = makeSupervisor({ stormGuests: DEFAULT_POLICY.stormGuests });
    // Three other guests crash and restart: a storm.
    for (const id of [1, 2, 3]) {
      const { layer } = await runningLayer(id);
      supervisor.crash(layer.liveRun!, { phase: 'frame', message: 'frame exploded' });
    }
    const hang = { phase: 'hang', message: 'no frame and no sign of life for 300 ms' } as const;
    const { layer: busy } = await runningLayer(4);
    supervisor.crash(busy.liveRun!, hang, { silentStart: false, othersHeard: true });
    expect(busy.state).toBe('quarantined');
    expect(busy.stateReason).toMatch(/^crashed in a restart storm/);
    const { layer: starved } = await runningLayer(5);
    supervisor.crash(starved.liveRun!, hang, { silentStart: false, othersHeard: false });
    expect(starved.state).toBe('restarting');
  });

  it('a start is a burst (other guests\' hang limits widen) only while it holds its start slot: not once its runtime has been up 1.5 s without a frame', async () => {
    const layer = new Layer(1, 'http://guests.test/never-settles.js', { width: 8, height: 8 });
    layers.set(1, layer);
    supervisor.startLayer(layer);
    expect(supervisor.startBurst([])).toBe(true);
    noteLife(layer.liveRun!.liveness, now);
    now += START_SLOT_HOLD_MS + 1;
    noteLife(layer.liveRun!.liveness, now);
    supervisor.tick(now);
    expect(layer.state).toBe('loading');
    expect(supervisor.startBurst([])).toBe(false);
    // Still starting for the eviction rule's purposes (nobody is evicted for slowness while it loads).
    expect(supervisor.anyStarting([])).toBe(true);
  });

  it('a restart runs in the container its crashed run kept (its process): the next spawn is offered it and runs warm', async () => {
    vi.useFakeTimers();
    const { layer, host, spare } = await crashKeeping(new FakeSpare());
    expect(host.recycled).toBe(true);
    vi.advanceTimersByTime(DEFAULT_POLICY.backoffBaseMs);
    expect(hosts).toHaveLength(2);
    expect(hosts[1]!.prepared).toBe(spare);
    expect(hosts[1]!.warm).toBe(true);
    expect(spare.disposed).toBe(false);
    expect(layer.spare).toBeNull();
  });

  it('a kept container that is not ready by the restart (its process did not answer) is ended, and the restart boots a new one', async () => {
    vi.useFakeTimers();
    const { spare } = await crashKeeping(new FakeSpare(false));
    vi.advanceTimersByTime(DEFAULT_POLICY.backoffBaseMs);
    expect(hosts[1]!.warm).toBe(false);
    expect(spare.disposed).toBe(true);
  });

  it('a container kept for a restart ends with its layer when the layer is unloaded before the restart', async () => {
    vi.useFakeTimers();
    const { layer, spare } = await crashKeeping(new FakeSpare());
    expect(layer.spare).toBe(spare);
    supervisor.forget(layer);
    layers.delete(layer.id);
    expect(spare.disposed).toBe(true);
    vi.advanceTimersByTime(DEFAULT_POLICY.backoffMaxMs);
    expect(hosts).toHaveLength(1);
  });

  it('a quarantine keeps no container: the run is terminated, not recycled', async () => {
    vi.useFakeTimers();
    const { layer } = await runningLayer();
    for (let i = 0; i <= DEFAULT_POLICY.maxRestarts && layer.state !== 'quarantined'; i++) {
      hosts.at(-1)!.events.onError({ type: 'error', phase: 'frame', message: `crash ${i}` });
      await Promise.resolve();
      now += 100;
      vi.advanceTimersByTime(DEFAULT_POLICY.backoffMaxMs);
      if (layer.state === 'loading') await hosts.at(-1)!.init();
    }
    expect(layer.state).toBe('quarantined');
    expect(hosts.at(-1)!.terminated).toBe(true);
    expect(hosts.at(-1)!.recycled).toBe(false);
    expect(hosts.slice(0, -1).every((h) => h.recycled)).toBe(true);
  });

  it('frame, again and again: past the restart limit the layer is quarantined and not restarted', async () => {
    vi.useFakeTimers();
    const { layer } = await runningLayer();
    for (let i = 0; i <= DEFAULT_POLICY.maxRestarts; i++) {
      hosts.at(-1)!.events.onError({ type: 'error', phase: 'frame', message: `crash ${i}` });
      if (layer.state === 'quarantined') break;
      now += 100;
      vi.advanceTimersByTime(DEFAULT_POLICY.backoffMaxMs);
      expect(layer.state).toBe('loading');
      await hosts.at(-1)!.init();
    }
    expect(layer.state).toBe('quarantined');
    expect(layer.stateReason).toMatch(/crashed \d+ times within/);
    expect(layer.restarts).toBe(DEFAULT_POLICY.maxRestarts);
    const spawned = hosts.length;
    vi.advanceTimersByTime(60_000);
    expect(hosts).toHaveLength(spawned);
  });

  it('snapshot, restore and runtime errors are recorded; the guest keeps running', async () => {
    for (const phase of ['snapshot', 'restore', 'runtime'] as const) {
      const { layer, host } = await runningLayer(layers.size + 1);
      host.events.onError({ type: 'error', phase, message: `${phase} trouble` });
      await Promise.resolve();
      expect(layer.error?.phase).toBe(phase);
      expect(layer.restarts).toBe(0);
      expect(host.terminated).toBe(false);
      expect(layer.liveRun?.host).toBe(host);
    }
  });

  it('hang, start-up timeout, protocol violation and compositor-side errors are crashes', async () => {
    for (const phase of ['hang', 'startup', 'protocol', 'composite'] as const) {
      const { layer } = await runningLayer(layers.size + 1);
      supervisor.crash(layer.liveRun!, { phase, message: `${phase} trouble` });
      expect(layer.state, phase).toBe('restarting');
      expect(layer.error?.phase).toBe(phase);
    }
  });

  it('a protocol violation from the host is a crash, with the reason as its error', async () => {
    const { layer, host } = await runningLayer();
    host.events.onProtocolError('malformed message: type: Invalid type');
    expect(layer.state).toBe('restarting');
    expect(layer.error).toEqual({ phase: 'protocol', message: 'malformed message: type: Invalid type' });
  });

  it('a frame of another size than it was asked at is a protocol violation (its bitmap closed)', async () => {
    const { layer, host } = await runningLayer();
    const run = layer.liveRun!;
    run.inFlight = scheduleRequest(1, now, 0, 16, 1);
    run.requestSize = { width: 8, height: 8 };
    let closed = false;
    const bitmap = { width: 4, height: 4, close: () => (closed = true) } as unknown as ImageBitmap;
    host.events.onFrame({ type: 'frame', frameId: 1, bitmap, views: [], renderMs: 1, gpuMs: 0 });
    expect(closed).toBe(true);
    expect(layer.state).toBe('restarting');
    expect(layer.error?.message).toBe('frame is 4×4, it was asked for at 8×8');
  });

  it('a retired run is deaf: what its worker still sends changes nothing', async () => {
    const { layer, host } = await runningLayer();
    host.events.onError({ type: 'error', phase: 'frame', message: 'first' });
    host.events.onError({ type: 'error', phase: 'frame', message: 'second' });
    host.events.onProtocolError('late');
    expect(layer.restarts).toBe(1);
    expect(layer.error?.message).toBe('first');
  });

  it('a version under vetting that fails is rejected; its live layer is untouched', async () => {
    const { layer, host: liveHost } = await runningLayer();
    const staging: Staging = { id: 99, layerId: layer.id, run: null, vetting: startVetting(now), pending: { source: 'x', hash: 'h', trigger: 'api', timing: { detectedAt: now, fetchMs: 0 } }, stateCarried: false, stateRestored: false, timing: { detectedAt: now, fetchMs: 0 } };
    stagings.set(layer.id, staging);
    supervisor.startVetting(staging, layer.url, layer.surface, { n: 1 });
    const vettingHost = hosts.at(-1)!;
    expect(vettingHost.version).toEqual({ source: 'x', state: { n: 1 } });
    await vettingHost.init();
    vettingHost.events.onError({ type: 'error', phase: 'frame', message: 'new version throws' });
    expect(failures).toEqual([{ staging, error: { phase: 'frame', message: 'new version throws', stack: undefined }, started: true }]);
    expect(layer.state).toBe('running');
    expect(layer.error).toBeUndefined();
    expect(layer.restarts).toBe(0);
    expect(layer.liveRun?.host).toBe(liveHost);
  });

  it('a failure unload beat to it changes nothing', async () => {
    const { layer, host } = await runningLayer();
    supervisor.teardown(layer.run);
    layers.delete(layer.id);
    host.events.onError({ type: 'error', phase: 'frame', message: 'too late' });
    expect(layer.error).toBeUndefined();
    expect(layer.restarts).toBe(0);
  });

  it('starts at most MAX_STARTING workers at once; the others wait, loading, in the order they asked', async () => {
    const ids = [1, 2, 3, 4];
    for (const id of ids) {
      const layer = new Layer(id, `http://guests.test/${id}.js`, { width: 8, height: 8 });
      layers.set(id, layer);
      supervisor.startLayer(layer);
    }
    const at = (id: number) => layers.get(id)!;
    expect(hosts).toHaveLength(MAX_STARTING);
    expect(ids.map((id) => at(id).state)).toEqual(['loading', 'loading', 'loading', 'loading']);
    expect(at(3).stateReason).toBe('waiting to start: 2 guests are starting, 1 waiting');
    expect(at(4).stateReason).toBe('waiting to start: 2 guests are starting, 2 waiting');
    // The first delivers its first frame: its slot goes to the third.
    await hosts[0]!.init();
    firstFrame(at(1), hosts[0]!);
    expect(hosts).toHaveLength(3);
    expect(at(3).liveRun?.host).toBe(hosts[2]);
    expect(at(3).stateReason).toBeUndefined();
    // The fourth is unloaded while it waits, then the second fails to load: no worker for the fourth.
    layers.delete(4);
    await hosts[1]!.init({ ok: false, phase: 'load', message: 'nope' });
    expect(at(2).state).toBe('failed');
    expect(hosts).toHaveLength(3);
  });
});
