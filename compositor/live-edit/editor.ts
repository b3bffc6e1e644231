// Live editing, the effects: a new version runs in a staging worker beside the live one, is vetted
// (it loads, sets up with the live version's state, delivers a preview frame, holds the
// frame-rate budget over the vetting window), is handed the live version's latest state (its
// restore(), if it has one), and only then takes its layer over, at a frame boundary: the new
// version's run is handed to the layer. A rejected version changes nothing but the layer's error.
// The decisions are pure (vetting.ts, history.ts); the compositor lends this class what it needs
// through EditorHost, and the supervisor reports vetting runs' events to it (VersionEvents).
// See README "Live editing".
import { describeError, type Layer, type LayerError } from '../layer';
import type { Policy } from '../../shared/limits';
import type { FrameClock } from '../frame-clock';
import type { TraceRecorder } from '../trace';
import type { ReloadStats } from '../stats';
import type { Supervisor, VersionEvents } from '../guests/supervisor';
import { median } from '../../shared/median';
import { directImports } from '../../shared/module-imports';
import { startVetting, vet, vettingRate, type VettingEvent } from './vetting';
import { addVersion, liveVersion, makeLive, nextVersion, previousVersion, versionNumbered, type VersionTrigger } from './history';
import { VETTING_FRAMES, vettingPhaseOf, type PendingVersion, type Staging } from './staging';
import { fetchSource, Poller, type FetchedSource } from './sources';
import { sourceHash } from './source-hash';
import { previewLabelText } from './preview-label';
import { describePhases, reloadPhases, type ReloadTiming } from './reload-phases';
import { WarmStaging } from './warm-staging';
import type { PreparedGuest } from '../guest-host';

/** A version as `history(id)` lists it. */
export interface VersionInfo {
  number: number;
  url: string;
  hash: string;
  time: number;
  trigger: VersionTrigger;
  live: boolean;
}

/** What the live editor borrows from the compositor. */
export interface EditorHost {
  now(): number;
  readonly policy: Policy;
  readonly clock: FrameClock;
  readonly trace: TraceRecorder;
  /** Hands a vetting's texture to its layer (a vetted version taking its layer over). */
  renameTexture(from: number, to: number): void;
  readonly options: { watch?: boolean | undefined; vetFrames?: number | undefined };
  layer(id: number): Layer | undefined;
  layers(): Iterable<Layer>;
  /** A fresh id for a vetting (its texture and trace events), from the layers' sequence. */
  newId(): number;
  /** Starts vetting runs, ends runs, and applies the layer's swap. */
  readonly supervisor: Pick<Supervisor, 'startVetting' | 'teardown' | 'applyTo'>;
  /** Makes a guest container ahead of its guest (warm staging; guest-host.ts's prepareGuest). */
  prepareGuest(): PreparedGuest;
  /** Whether a guest is starting (or waiting to): no background start now. */
  busy(): boolean;
}

/** How much slower than the live version a new one may be while both run side by side. */
const VETTING_SHARE = 2;

const withoutQuery = (url: string): string => {
  try {
    const u = new URL(url);
    return u.origin + u.pathname;
  } catch {
    return url;
  }
};

export class LiveEditor implements VersionEvents {
  /** New versions under vetting, by the id of the live layer they are for. */
  private readonly stagings = new Map<number, Staging>();
  private readonly poller: Poller;
  /** The origin whose guests the dev server announces changes for (these are not polled). */
  private devServerOrigin: string | null = null;
  /** The layer most recently edited, or selected with the controller (the edit shortcuts act on it). */
  lastEdited: number | null = null;
  /** A container kept ready for the next save (warm-staging.ts). */
  readonly warm: WarmStaging;

  constructor(private readonly host: EditorHost) {
    // Runs when polling finds a changed guest file: vet it as that guest's next version.
    this.poller = new Poller((url, { source, fetchMs }) => {
      const timing: ReloadTiming = { detectedAt: this.host.now() - fetchMs, fetchMs };
      for (const layer of this.host.layers()) if (layer.url === url) this.proposeVersion(layer, { source: source.text, hash: source.hash, trigger: 'poll', timing });
    });
    this.warm = new WarmStaging(() => this.host.prepareGuest());
  }

  /** Guest URLs being polled. */
  get watching(): number {
    return this.poller.size;
  }

  /** Stops watching a layer's URL (it was unloaded), and ends any vetting for it. */
  forget(layer: Layer): void {
    this.endStaging(layer.id, null);
    layer.queued = null;
    this.poller.unwatch(layer.url);
  }

  /** New versions being vetted: the frame loop feeds and watches their runs like any guest's. */
  stagingList(): Staging[] {
    return [...this.stagings.values()];
  }

  /** The version under vetting for a layer, if any. */
  staging(layerId: number): Staging | undefined {
    return this.stagings.get(layerId);
  }

  /** Guests on `origin` get their changes from the dev server's watcher, so they are not polled. */
  useDevServer(origin: string): void {
    this.devServerOrigin = origin;
    for (const layer of this.host.layers()) if (this.servedByDevServer(layer.url)) this.poller.unwatch(layer.url);
  }

  /**
   * The dev server says a file changed: reload every guest that is that file, or imports it
   * directly. `savedAgoMs`: how long ago the file was saved, where the server said.
   */
  devServerChanged(url: string, source?: string, savedAgoMs?: number): void {
    const changed = withoutQuery(url);
    const detectedAt = this.host.now();
    const savedAt = savedAgoMs === undefined || !Number.isFinite(savedAgoMs) ? undefined : detectedAt - Math.max(0, savedAgoMs);
    for (const layer of this.host.layers()) {
      if (layer.state === 'closed' || !this.servedByDevServer(layer.url)) continue;
      const own = withoutQuery(layer.url) === changed;
      // The dev server sent the changed file's text: a layer's own module needs no fetch.
      if (own || layer.dependencies.includes(changed)) void this.reload(layer.id, 'dev-server', !own, own ? source : undefined, { savedAt, detectedAt });
    }
  }

  /**
   * Fetches a guest's module again (or takes `text`, the dev server's copy of it) and vets it as
   * the layer's next version. Unchanged text is not a new version (unless `force`: a module it
   * imports changed). Resolves whether vetting began or was queued; a fetch failure is recorded
   * as the layer's error.
   */
  async reload(id: number, trigger: VersionTrigger = 'api', force = false, text?: string, detected?: { savedAt?: number | undefined; detectedAt: number }): Promise<boolean> {
    const layer = this.host.layer(id);
    if (!layer || layer.state === 'closed') return false;
    const detectedAt = detected?.detectedAt ?? this.host.now();
    let source: FetchedSource;
    try {
      source = text !== undefined ? { text, hash: sourceHash(text), etag: null } : await fetchSource(layer.url);
    } catch (e) {
      layer.error = { phase: 'reload', message: `load: ${e instanceof Error ? e.message : String(e)}` };
      return false;
    }
    const live = liveVersion(layer.versions);
    // The same text again (a second announcement of one save, a poll racing the dev server) is not a new version.
    const known = [live?.hash, this.stagings.get(id)?.pending.hash, layer.queued?.hash];
    if (!force && known.includes(source.hash)) return false;
    const timing: ReloadTiming = { savedAt: detected?.savedAt, detectedAt, fetchMs: text !== undefined ? 0 : this.host.now() - detectedAt };
    this.proposeVersion(layer, { source: source.text, hash: source.hash, trigger, timing });
    return true;
  }

  /** Vets `pending` as the layer's next version: now, or after the one being vetted (a newer one replaces a queued one). */
  proposeVersion(layer: Layer, pending: PendingVersion): void {
    if (layer.state === 'closed' || this.host.layer(layer.id) !== layer) return;
    this.lastEdited = layer.id;
    if (this.stagings.has(layer.id)) {
      layer.queued = pending;
      return;
    }
    void this.beginVetting(layer, pending);
  }

  /** The layer's good versions, oldest first (sources left out). */
  history(id: number): VersionInfo[] {
    const layer = this.host.layer(id);
    if (!layer) return [];
    const live = liveVersion(layer.versions);
    return layer.versions.versions.map((v) => ({ number: v.number, url: v.url, hash: v.hash, time: v.time, trigger: v.trigger, live: v === live }));
  }

  /** Moves the layer to good version `number` (vetted again, state carried the same way). False if there is no such version to go to. */
  revert(id: number, number: number): boolean {
    const layer = this.host.layer(id);
    const version = layer ? versionNumbered(layer.versions, number) : null;
    if (!layer || !version || version.source === null || version === liveVersion(layer.versions)) return false;
    this.proposeVersion(layer, { source: version.source, hash: version.hash, trigger: version.trigger, revertTo: version.number, timing: { detectedAt: this.host.now(), fetchMs: 0 } });
    return true;
  }

  /** Back to the version before the live one (the most recently edited layer by default). */
  undo(id: number | null = this.lastEdited): boolean {
    const layer = id === null ? undefined : this.host.layer(id);
    const target = layer ? previousVersion(layer.versions) : null;
    return !!layer && !!target && this.revert(layer.id, target.number);
  }

  /** On to the version after the live one. */
  redo(id: number | null = this.lastEdited): boolean {
    const layer = id === null ? undefined : this.host.layer(id);
    const target = layer ? nextVersion(layer.versions) : null;
    return !!layer && !!target && this.revert(layer.id, target.number);
  }

  /**
   * Runs at the start of every compositor frame, a frame boundary: versions that passed vetting
   * take their layers over now; previews that are late are rejected.
   */
  beginFrame(now: number): void {
    for (const [id, entry] of [...this.stagings]) {
      const live = this.host.layer(id);
      if (!live) this.endStaging(id, entry);
      else if (entry.vetting.state === 'passed') this.swapIn(live, entry);
      else this.vetEvent(entry, { type: 'tick', at: now, previewDeadlineMs: this.host.policy.startupMs });
    }
    this.warm.tick(now, { wanted: this.editable(), busy: this.stagings.size > 0 || this.host.busy() });
  }

  /** Whether any guest may be edited (watched by polling, or served by the dev server): a save may come. */
  private editable(): boolean {
    if (this.poller.size > 0) return true;
    if (this.devServerOrigin === null) return false;
    for (const layer of this.host.layers()) if (layer.state !== 'closed' && layer.source !== null && this.servedByDevServer(layer.url)) return true;
    return false;
  }

  /**
   * The frame-rate budget a new version must hold: the layer's pace, or twice the live version's
   * median frame time if longer (while vetted, the two versions share the machine).
   */
  vetBudgetMs(live: Layer): number {
    const interval = this.host.clock.nominalIntervalMs();
    const run = live.liveRun;
    if (!run || run.pacer.samples.length === 0) return this.host.policy.maxDivisor * interval;
    return Math.max(run.pacer.divisor * interval, VETTING_SHARE * median(run.pacer.samples));
  }

  async beginVetting(layer: Layer, pending: PendingVersion): Promise<void> {
    const entry: Staging = { id: this.host.newId(), layerId: layer.id, run: null, vetting: startVetting(this.host.now()), pending, stateCarried: false, stateRestored: false, timing: { ...pending.timing, began: this.host.now() } };
    this.stagings.set(layer.id, entry);
    this.host.trace.record({ kind: 'reload', t: performance.now(), layer: layer.id, args: { outcome: 'vetting', trigger: pending.trigger, hash: pending.hash, stagingLayer: entry.id } });
    layer.lastVetting = null;
    // The live version's state, taken now: as vetting begins, just before the new version's worker
    // starts (its setup gets it as ctx.state). The live version keeps running meanwhile.
    let state: unknown;
    const live = layer.liveRun;
    if (live?.started) {
      const result = await live.host.snapshot().catch(() => null);
      if (result?.ok) {
        state = result.state;
        entry.stateCarried = true;
      }
    }
    if (this.stagings.get(layer.id) !== entry) return; // unloaded, or ended, meanwhile
    this.host.supervisor.startVetting(entry, layer.url, layer.surface, state, this.warm.take());
    entry.timing.warm = entry.run?.host.warm ?? false;
  }

  /** Runs when the supervisor hears that a vetting run loaded and set up. */
  vettingStarted(staging: Staging): void {
    const run = staging.run;
    if (run) Object.assign(staging.timing, { runtimeUp: run.liveness.firstLifeAt ?? undefined, started: this.host.now(), loadMs: run.initTimings?.loadMs, setupMs: run.initTimings?.setupMs });
    this.vetEvent(staging, { type: 'started', at: this.host.now() });
  }

  /** Runs when a vetting run delivered a frame: judge it against the layer's budget. */
  vettingFrame(staging: Staging): void {
    const live = this.host.layer(staging.layerId);
    if (!live || !staging.run) return;
    this.vetEvent(staging, { type: 'frame', at: this.host.now(), latencyMs: staging.run.lastLatencyMs, windowFrames: this.host.options.vetFrames ?? VETTING_FRAMES, budgetMs: this.vetBudgetMs(live) });
  }

  vetEvent(staging: Staging, event: VettingEvent): void {
    const entry = this.stagings.get(staging.layerId);
    if (entry !== staging) return;
    const was = entry.vetting.state;
    entry.vetting = vet(entry.vetting, event);
    const now = this.host.now();
    if (was === 'previewing' && entry.vetting.state === 'measuring') entry.timing.firstFrame = now;
    if (was !== 'handing-over' && entry.vetting.state === 'handing-over') entry.timing.passed = now;
    if (was === 'handing-over' && entry.vetting.state === 'passed') entry.timing.handedOver = now;
    if (entry.vetting.state === 'rejected') this.endStaging(staging.layerId, entry);
    else if (entry.vetting.state === 'handing-over' && was !== 'handing-over') void this.handOver(entry);
    // A version that passed waits for the next frame boundary (beginFrame).
  }

  /**
   * The vetting window passed: hand the new version the live version's state as it is now. The
   * live version is asked for no more frames from here (its last frame stays up, reprojected, for
   * the frame or two this takes), so the state handed over is its state at the swap: nothing it
   * did during vetting is lost. A version without restore() keeps the state it set up with.
   */
  private async handOver(entry: Staging): Promise<void> {
    const live = this.host.layer(entry.layerId)?.liveRun;
    const fresh = entry.run;
    const still = () => this.stagings.get(entry.layerId) === entry;
    if (!live || !fresh || fresh.retired || !fresh.restores || !live.started) {
      this.vetEvent(entry, { type: 'handed-over' });
      return;
    }
    live.handingOver = true;
    const snapshot = await live.host.snapshot().catch(() => null);
    if (!still()) return;
    if (!snapshot?.ok) {
      // The live version cannot say its state now: the new one keeps what it set up with.
      this.vetEvent(entry, { type: 'handed-over' });
      return;
    }
    const restored = await fresh.host.restore(snapshot.state).catch((e: unknown) => ({ ok: false as const, message: e instanceof Error ? e.message : String(e) }));
    if (!still()) return;
    if (!restored.ok) {
      live.handingOver = false;
      this.vetEvent(entry, { type: 'failed', phase: 'restore', message: restored.message });
      return;
    }
    entry.stateRestored = restored.restored;
    this.vetEvent(entry, { type: 'handed-over' });
  }

  /** Runs when a vetting run failed (load, setup, a crash or hang before the window is through): its version is rejected. */
  vettingFailed(staging: Staging, error: LayerError, started: boolean): void {
    this.vetEvent(staging, { type: 'failed', phase: vettingPhaseOf(error.phase, started), message: error.message, line: error.line });
  }

  /** A vetting run was refused at admission (no scale fits it): rejected for its frame rate at once. */
  vettingRefused(staging: Staging, message: string): void {
    this.vetEvent(staging, { type: 'failed', phase: 'frame rate', message });
  }

  /** Ends a staging (rejected, or its layer gone): its worker goes, a rejection is reported, a queued version starts. */
  endStaging(id: number, entry: Staging | null): void {
    const current = this.stagings.get(id);
    if (!current || (entry && current !== entry)) return;
    this.stagings.delete(id);
    this.host.supervisor.teardown(current.run);
    const live = this.host.layer(id);
    if (live?.liveRun) live.liveRun.handingOver = false;
    const rejection = current.vetting.rejection;
    if (live && rejection) {
      const where = rejection.line !== undefined && !rejection.message.includes(`line ${rejection.line}`) ? ` (line ${rejection.line})` : '';
      live.error = { phase: 'reload', message: `${rejection.phase} failed: ${rejection.message}${where}`, line: rejection.line };
      const phases = reloadPhases(current.timing);
      live.lastVetting = { outcome: 'rejected', phase: rejection.phase, message: rejection.message, line: rejection.line, hash: current.pending.hash, trigger: current.pending.trigger, phases, frames: current.vetting.latencies.length };
      this.host.trace.record({ kind: 'reload', t: performance.now(), layer: live.id, args: { outcome: 'rejected', phase: rejection.phase, message: rejection.message.slice(0, 200), phases: describePhases(phases) } });
      console.warn(`[steadfast] ${describeError(live.url, live.error!)}`);
    }
    if (live) this.startQueued(live);
  }

  /** A vetted version takes its layer over: the old worker is disposed, the new one keeps its frames. */
  swapIn(live: Layer, entry: Staging): void {
    this.stagings.delete(live.id);
    const run = entry.run!;
    // The old run ends (its counts go to the layer); the new one, frames, pose and pace as they
    // are, now works for the layer, and its texture becomes the layer's.
    this.host.supervisor.teardown(live.run);
    this.host.renameTexture(entry.id, live.id);
    run.owner = { kind: 'layer', id: live.id };
    run.staleFrames = 0;
    live.run = run;
    live.source = entry.pending.source;
    live.versions =
      entry.pending.revertTo !== undefined
        ? makeLive(live.versions, entry.pending.revertTo)
        : addVersion(live.versions, { url: live.url, hash: entry.pending.hash, time: Date.now(), trigger: entry.pending.trigger, source: entry.pending.source });
    live.error = undefined;
    live.stateReason = undefined;
    live.restartHistory = [];
    live.silentStarts = 0;
    entry.timing.swapped = this.host.now();
    const phases = reloadPhases(entry.timing);
    live.lastVetting = { outcome: 'passed', hash: entry.pending.hash, trigger: entry.pending.trigger, restored: entry.stateRestored, phases, frames: entry.vetting.latencies.length };
    this.host.trace.record({ kind: 'reload', t: performance.now(), layer: live.id, args: { outcome: 'passed', version: liveVersion(live.versions)?.number ?? 0, ...(phases.total === undefined ? {} : { total: phases.total }), phases: describePhases(phases) } });
    this.host.supervisor.applyTo(live, { type: 'version-swapped' });
    console.info(`[steadfast] layer ${live.id} now runs version ${liveVersion(live.versions)?.number} (${entry.pending.trigger}) ${live.url}`);
    void this.trackDependencies(live);
    this.watchForChanges(live, entry.pending.hash);
    this.startQueued(live);
  }

  startQueued(live: Layer): void {
    const next = live.queued;
    if (!next || this.stagings.has(live.id) || live.state === 'closed') return;
    live.queued = null;
    void this.beginVetting(live, next);
  }

  /** Runs when a layer's first version is running: record it, and watch its file for changes. */
  firstVersion(layer: Layer): void {
    const hash = layer.source === null ? '' : sourceHash(layer.source);
    layer.versions = addVersion(layer.versions, { url: layer.url, hash, time: Date.now(), trigger: 'load', source: layer.source });
    void this.trackDependencies(layer);
    if (layer.source !== null) this.watchForChanges(layer, hash);
  }

  async trackDependencies(layer: Layer): Promise<void> {
    layer.dependencies = layer.source === null ? [] : await directImports(layer.source, layer.url);
  }

  watchForChanges(layer: Layer, hash: string): void {
    if (this.host.options.watch && !this.servedByDevServer(layer.url)) this.poller.watch(layer.url, hash);
  }

  servedByDevServer(url: string): boolean {
    try {
      return this.devServerOrigin !== null && new URL(url).origin === this.devServerOrigin;
    } catch {
      return false;
    }
  }

  reloadStats(layer: Layer): ReloadStats {
    const entry = this.stagings.get(layer.id);
    return { vetting: entry ? this.vettingStats(entry) : null, queued: layer.queued !== null, last: layer.lastVetting };
  }

  /** What the label over a version's preview panel says (null if it is not under vetting). */
  previewLabel(staging: Staging): string | null {
    return this.stagings.get(staging.layerId) === staging ? previewLabelText(this.vettingStats(staging)) : null;
  }

  private vettingStats(entry: Staging): NonNullable<ReloadStats['vetting']> {
    return {
      state: entry.vetting.state,
      frames: entry.vetting.latencies.length,
      windowFrames: this.host.options.vetFrames ?? VETTING_FRAMES,
      fps: vettingRate(entry.vetting, this.host.clock.nominalIntervalMs()),
      trigger: entry.pending.trigger,
      revertTo: entry.pending.revertTo,
      stateCarried: entry.stateCarried,
      stateRestored: entry.stateRestored,
      stagingId: entry.id,
      phases: reloadPhases(entry.timing),
    };
  }

  /** Stops polling and ends the warm container (the page is going away). */
  dispose(): void {
    this.poller.dispose();
    this.warm.dispose();
  }
}
