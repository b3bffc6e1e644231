// Supervision, the effects: starting guest workers (runs), taking what they report, and acting on
// their failures as the pure policies decide (policy/failure.ts: fail, restart or record;
// policy/supervisor.ts: restart with backoff or quarantine; policy/eviction.ts: too slow to keep).
// A run works for a layer's live version or for a version under vetting (guests/guest-run.ts); a
// vetting run's failure rejects the version (live-edit/editor.ts decides the rest) and never
// touches the live layer. Every teardown ends the worker after the current dispatch (GuestRun.retire).
import { MAX_STARTING, type Policy } from '../../shared/limits';
import type { FrameDelivery, InitResult } from '../../shared/protocol';
import type { spawnGuest, Isolation, PreparedGuest, StartVersion, Surface } from '../guest-host';
import type { FrameClock } from '../frame-clock';
import { describeError, type Layer } from '../layer';
import { wantsFrames, type LayerEvent } from '../layer-state';
import type { Staging } from '../live-edit/staging';
import { holdEnds, pacerHold, pacerReadmit, shouldHold, startsUnderWay } from '../policy/admission-hold';
import { costRefusalReason, evictionReason } from '../policy/eviction';
import { failureAction, type LayerError } from '../policy/failure';
import { ADMISSION_SCALE, describeStep, forgetCeiling, initialPacer, ordinal, pacerCostRecord, pacerRecord } from '../policy/pacer';
import { NOTHING_SEEN, onCrash, type RestartRecord, type WatchdogSaw } from '../policy/supervisor';
import { graceExpired, noteLife, startPastCostlyPart } from '../policy/watchdog';
import type { TraceRecorder } from '../trace';
import { GuestRun, type RunOwner } from './guest-run';
import { admissionStart, isStarting, judgedSince, otherBestLatencies, otherBestSince, othersStarting, othersUnmeasured } from './neighbours';
import { StartSlots } from './start-slots';

/** What live editing hears from the supervisor about versions and their vetting runs. */
export interface VersionEvents {
  /** The version under vetting for layer `layerId`, if any. */
  staging(layerId: number): Staging | undefined;
  /** A vetting run loaded and set up. */
  vettingStarted(staging: Staging): void;
  /** A vetting run delivered a frame (its latency is on the run). */
  vettingFrame(staging: Staging): void;
  /** A vetting run failed: its version is rejected. `started`: it had set up before it failed. */
  vettingFailed(staging: Staging, error: LayerError, started: boolean): void;
  /** A vetting run was refused at admission (no scale fits it): its version is rejected for its frame rate. */
  vettingRefused(staging: Staging, message: string): void;
  /** A layer's first version is running: record it in the history. */
  firstVersion(layer: Layer): void;
}

/** What the supervisor borrows from the compositor. */
export interface SupervisorHost {
  now(): number;
  readonly policy: Policy;
  readonly isolation: Isolation;
  readonly clock: FrameClock;
  readonly trace: TraceRecorder;
  /** Compositor frames presented so far. */
  frames(): number;
  layer(id: number): Layer | undefined;
  layers(): Iterable<Layer>;
  /** Frees the texture of the layer or vetting with this id. */
  releaseTexture(id: number): void;
  /** Starts a guest's worker (guest-host.ts's spawnGuest; a fake in unit tests). */
  readonly spawn: typeof spawnGuest;
  readonly versions: VersionEvents;
  /** The page's import map for guests (URL parameter `imports`), if any. */
  readonly importMap?: string | undefined;
  /** Whether guests' scale adapts to their cost (page URL adapt, default on). */
  readonly adaptive: boolean;
  /** The compositor's pressure on guests' budgets now (policy/frame-budget.ts; 1 = none). */
  pressure(): number;
  /** The fastest GPU time of the compositor's own composites measured at or after `since` (gl/gpu-timer.ts); undefined: none. */
  compositorGpuBestSince(since: number): number | undefined;
}

/** A run's owner, found: the layer it runs, or the version it vets; null once neither holds it. */
type Found = { kind: 'layer'; layer: Layer } | { kind: 'vetting'; staging: Staging };

export class Supervisor {
  /** When a guest was last evicted as too slow (see Policy.evictionCooldownMs). */
  private lastEvictionAt = -Infinity;
  /** Restarts on this page within the storm window, oldest first (policy/supervisor.ts). */
  private readonly restartLog: RestartRecord[] = [];

  /** A layer was unloaded: its restarts no longer count towards a storm, and a container kept for its restart ends. */
  forget(layer: Layer): void {
    for (let i = this.restartLog.length - 1; i >= 0; i--) if (this.restartLog[i]!.layer === layer.id) this.restartLog.splice(i, 1);
    layer.spare?.dispose();
    layer.spare = null;
  }

  /** Workers starting now, and layers waiting for a start slot (start-slots.ts). */
  private readonly slots = new StartSlots<GuestRun, Layer>(MAX_STARTING);

  constructor(private readonly host: SupervisorHost) {}

  /**
   * Starts a worker for a layer's live version: its source (or URL). Its last run's figures go.
   * With every start slot taken, the layer waits (`loading`, its reason saying so) for one.
   */
  startLayer(layer: Layer): void {
    if (!this.slots.ask(layer)) {
      const { starting, waiting } = this.slots.counts;
      layer.stateReason = `waiting to start: ${starting} guests are starting, ${waiting} waiting`;
      return;
    }
    layer.stateReason = undefined;
    // Its last run's container, if a crash kept it (and its process still answered): else a new one.
    const spare = layer.spare;
    layer.spare = null;
    layer.run = this.spawn({ kind: 'layer', id: layer.id }, layer.url, layer.surface, { source: layer.source ?? undefined }, layer.run?.lastDeliveryFrame ?? 0, spare ?? undefined);
    if (spare && !layer.run.host.warm) spare.dispose();
  }

  /** A start slot came free: the next waiting layer that still wants to start starts. */
  private startWaiting(): void {
    for (;;) {
      const layer = this.slots.next((l) => this.host.layer(l.id) === l && l.state === 'loading' && !(l.run && !l.run.retired));
      if (!layer) return;
      this.startLayer(layer);
    }
  }

  /** Whether the layer waits for a start slot (no worker yet). */
  readonly waiting = (layer: Layer): boolean => this.slots.isWaiting(layer);

  /** Starts the worker a version is vetted in (in `warm`, a container made ahead, if it is ready), handing `state` to its setup. */
  startVetting(staging: Staging, url: string, surface: Surface, state: unknown, warm?: PreparedGuest | null): void {
    staging.run = this.spawn({ kind: 'vetting', id: staging.id, layerId: staging.layerId }, url, surface, { source: staging.pending.source, state }, 0, warm ?? undefined);
  }

  /** Applies a lifecycle event to the run's layer (a vetting run has no layer state of its own). */
  apply(run: GuestRun, event: LayerEvent): void {
    const found = this.find(run);
    if (found?.kind === 'layer') this.applyTo(found.layer, event);
  }

  /** Applies a lifecycle event, stamped with the clock and frame count. */
  applyTo(layer: Layer, event: LayerEvent): void {
    const before = layer.state;
    layer.apply(event, this.host.now(), this.host.frames());
    if (layer.state !== before) this.host.trace.record({ kind: 'state', t: performance.now(), layer: layer.id, args: { to: layer.state, event: event.type } });
  }

  /** Whether the run may be asked for a frame: its layer wants frames and is not frozen (a vetting always may). */
  wantsFrames(run: GuestRun): boolean {
    const found = this.find(run);
    if (!found) return false;
    switch (found.kind) {
      case 'layer':
        return !found.layer.frozen && wantsFrames(found.layer.state);
      case 'vetting':
        return true;
      default: {
        const check: never = found;
        return check;
      }
    }
  }

  /** The frame loop showed fresh content of the run. */
  shown(run: GuestRun): void {
    const found = this.find(run);
    if (found?.kind === 'layer') found.layer.presented += 1;
  }

  /** The run's request passed its deadline undelivered. */
  missed(run: GuestRun): void {
    const found = this.find(run);
    if (found?.kind !== 'layer') return;
    found.layer.missed += 1;
    this.applyTo(found.layer, { type: 'deadline-missed' });
  }

  /**
   * Per frame, for a watched run: a stale layer counts its frames, and past its grace is dropped.
   * Not while a new version of it is under vetting: the two share the machine, and a live
   * version late because its next version is being measured beside it is starved, not hung (it
   * stays on screen, stale; the watchdog still ends it if it stops beating).
   */
  staleFrame(run: GuestRun): void {
    const found = this.find(run);
    if (found?.kind !== 'layer' || found.layer.state !== 'stale') return;
    if (this.host.versions.staging(found.layer.id)) return;
    run.staleFrames += 1;
    if (graceExpired(run.staleFrames, this.host.policy)) this.applyTo(found.layer, { type: 'grace-expired' });
  }

  /**
   * Acts on a failure as policy/failure.ts says: record it, fail the layer, or crash it (the
   * supervisor restarts it with backoff, or quarantines it past the restart limit). A vetting
   * run's failure (any but a recorded one) rejects its version.
   */
  report(run: GuestRun, error: LayerError): void {
    const found = this.find(run);
    if (!found) return;
    const action = failureAction(error.phase);
    switch (found.kind) {
      case 'vetting':
        if (action !== 'record') this.host.versions.vettingFailed(found.staging, error, run.started);
        return;
      case 'layer':
        if (action === 'record') {
          found.layer.error = error;
          console.warn(`[steadfast] ${describeError(found.layer.url, error)}`);
        } else if (action === 'fail') this.fail(found.layer, error);
        else this.crashLayer(found.layer, error);
        return;
      default: {
        const check: never = found;
        return check;
      }
    }
  }

  /**
   * Ends a misbehaving run (hang, failed start, protocol violation, an error drawing it): a crash.
   * `seen`: what the watchdog saw, for a verdict of its own (policy/supervisor.ts WatchdogSaw).
   */
  crash(run: GuestRun, error: LayerError, seen: WatchdogSaw = NOTHING_SEEN): void {
    const found = this.find(run);
    if (!found) return;
    switch (found.kind) {
      case 'vetting':
        return this.host.versions.vettingFailed(found.staging, error, run.started);
      case 'layer':
        return this.crashLayer(found.layer, error, seen);
      default: {
        const check: never = found;
        return check;
      }
    }
  }

  /** Fails a layer for good: records why, ends its guest, frees its frames. */
  fail(layer: Layer, error: LayerError): void {
    layer.error = error;
    console.warn(`[steadfast] ${describeError(layer.url, error)}`);
    this.teardown(layer.run);
    this.host.releaseTexture(layer.id);
    this.applyTo(layer, { type: 'failed' });
  }

  /**
   * Ends a run: its messages stop counting and its frames and texture are freed now, its worker
   * after the current dispatch (its container handed to `keep`, where it can be kept for a
   * restart). A layer's run adds its message counts to the layer's.
   */
  teardown(run: GuestRun | null, keep?: (spare: PreparedGuest) => void): void {
    if (!run) return;
    if (!run.retired) {
      const found = this.find(run);
      if (found?.kind === 'layer') {
        found.layer.pastStrayMessages += run.host.strayMessages;
        found.layer.pastDroppedMessages += run.host.droppedMessages;
      }
      run.retire(keep);
      this.loadChanged();
      if (this.slots.ended(run)) this.startWaiting();
    }
    this.host.releaseTexture(run.owner.id);
  }

  /**
   * The load on the machine fell (a worker ended, or the compositor's own output shrank): every
   * guest may try larger or faster steps again at once.
   */
  loadChanged(): void {
    for (const layer of this.host.layers()) {
      const other = layer.liveRun;
      if (other) other.pacer = forgetCeiling(other.pacer);
    }
  }

  /** Spawns a worker; its events find the run's owner when they arrive (a swap may have changed it). */
  private spawn(owner: RunOwner, url: string, surface: Surface, version: StartVersion, lastDeliveryFrame: number, warm?: PreparedGuest): GuestRun {
    const run = new GuestRun(owner, url, surface, this.host.now(), lastDeliveryFrame, (self) =>
      this.host.spawn(
        url,
        surface,
        {
          // Runs for every valid message from this guest: its thread is alive.
          onLife: (sign) => {
            if (!self.retired) noteLife(self.liveness, this.host.now(), sign);
          },
          // Runs when this guest delivers a validated frame.
          onFrame: (frame) => this.frameArrived(self, frame),
          // Runs when this guest reports an error it caught in one of its phases.
          onError: (report) => this.report(self, { phase: report.phase, message: report.message, stack: report.stack }),
          // Runs when this guest breaks the protocol or floods: a crash (its worker ends after this dispatch).
          onProtocolError: (reason) => this.crash(self, { phase: 'protocol', message: reason }),
        },
        this.host.isolation,
        { ...version, imports: this.host.importMap },
        warm,
      ),
    );
    // Admission: a new worker starts at its smallest scale and earns larger ones (policy/pacer.ts).
    run.pacer = initialPacer(this.host.policy, this.host.adaptive);
    this.slots.began(run);
    // Runs when the guest has loaded and set up (or failed to).
    void run.host.start().then((result) => this.started(run, result));
    return run;
  }

  private started(run: GuestRun, result: InitResult): void {
    const found = this.find(run);
    if (!found) return;
    if (!result.ok) {
      this.report(run, { phase: result.phase, message: result.message, stack: result.stack, line: result.line });
      return;
    }
    run.declaration = result.layer;
    run.restores = result.restores ?? false;
    run.initTimings = result.timings ?? null;
    run.started = true;
    if (found.kind === 'vetting') this.host.versions.vettingStarted(found.staging);
    else if (found.layer.versions.live < 0) this.host.versions.firstVersion(found.layer);
  }

  private frameArrived(run: GuestRun, frame: FrameDelivery): void {
    const found = this.find(run);
    if (!found) return frame.bitmap.close();
    const { width, height } = frame.bitmap;
    // A frame answering the request in flight must be the size it was asked at (anything else is closed as unasked below).
    const expected = run.inFlight?.frameId === frame.frameId ? run.requestSize : null;
    if (expected && (width !== expected.width || height !== expected.height)) {
      frame.bitmap.close();
      this.crash(run, { phase: 'protocol', message: `frame is ${width}×${height}, it was asked for at ${expected.width}×${expected.height}` });
      return;
    }
    const now = this.host.now();
    const delivery = run.deliver(frame, now);
    if (delivery === 'unasked') return;
    if (delivery === 'superseded' && found.kind === 'layer') found.layer.superseded += 1;
    this.host.trace.record({ kind: 'deliver', t: performance.now() - run.lastLatencyMs, dur: run.lastLatencyMs, layer: run.owner.id, args: { frameId: frame.frameId, renderMs: Math.round(frame.renderMs * 100) / 100 } });
    if (run.liveness.firstFrameAt === null) {
      run.liveness.firstFrameAt = now;
      if (found.kind === 'layer') found.layer.silentStarts = 0;
      run.startEndedAt = now;
      if (this.slots.ended(run)) this.startWaiting();
    }
    run.lastDeliveryFrame = this.host.frames();
    run.staleFrames = 0;
    this.apply(run, { type: 'frame-delivered' });
    this.pace(run, found);
    this.costed(run);
  }

  /**
   * Feeds the frame's costs to the pacer (after pace(): a run it ended is not judged again); a
   * guest whose admission frames' GPU work or own frame() time cannot fit is refused.
   */
  private costed(run: GuestRun): void {
    // Found afresh: pace() may have ended the run or its vetting.
    const found = run.retired ? null : this.find(run);
    const last = run.recent.at(-1);
    if (!found || !last) return;
    run.pacer = pacerCostRecord(run.pacer, last, this.host.clock.nominalIntervalMs(), this.host.policy);
    if (!run.pacer.refused) return;
    if (found.kind === 'vetting') {
      // A new version is judged by its vetting: refused, it fails it at once (as in pace()).
      this.host.versions.vettingRefused(found.staging, run.pacer.evictReason ?? 'refused at admission');
      return;
    }
    const layers = [...this.host.layers()];
    // Its neighbours' figures of the same moments: by GPU time, from the first of its frames at
    // the scale judged (the queue then is what its own frames waited in); by frame() time, from
    // its admission's start.
    const floor = admissionStart(run, this.host.now());
    const since = run.pacer.refusedFor === 'gpu' ? judgedSince(run.recent, last.scale, floor) : floor;
    const others = otherBestSince(layers, found.layer, since, run.pacer.refusedFor === 'cpu' ? 'cpuMs' : 'gpuMs');
    // For GPU time, the compositor's own composite shares the queue: it is compared with too.
    const own = run.pacer.refusedFor === 'gpu' ? this.host.compositorGpuBestSince(since) : undefined;
    if (own !== undefined) others.push(own);
    const reason = costRefusalReason({ pacer: run.pacer, othersBestMs: others });
    if (reason !== null) this.evictOrHold(run, found.layer, reason);
  }

  /** Feeds the frame's return latency to the pacer; a live guest too slow even at the slowest pace is evicted. */
  private pace(run: GuestRun, found: Found): void {
    const before = run.pacer;
    const interval = this.host.clock.nominalIntervalMs();
    const last = run.recent.at(-1);
    run.pacer = pacerRecord(run.pacer, run.lastLatencyMs, interval, this.host.policy, this.host.pressure(), last ? last.cpuMs + last.gpuMs : run.lastLatencyMs);
    if (found.kind === 'vetting') {
      // A new version is judged by its vetting, never evicted; one refused at admission (no scale
      // fits it) fails its vetting at once, before its frames hold the GPU queue any longer.
      if (run.pacer.refused) this.host.versions.vettingRefused(found.staging, run.pacer.evictReason ?? 'refused at admission');
      else this.host.versions.vettingFrame(found.staging);
      return;
    }
    const layer = found.layer;
    if (run.pacer.held) {
      this.holdOrReadmit(run, layer);
      return;
    }
    if (run.pacer.divisor !== before.divisor) {
      layer.stateReason = run.pacer.divisor > 1 ? `throttled: asked every ${ordinal(run.pacer.divisor)} frame at ${run.pacer.scale} scale (frames take ${Math.round(run.lastLatencyMs)} ms)` : undefined;
      console.info(`[steadfast] layer ${layer.id} pace 1/${before.divisor} → 1/${run.pacer.divisor} ${layer.url}`);
    }
    if (run.pacer.strikes > before.strikes) console.warn(`[steadfast] layer ${layer.id}: a runaway frame (${Math.round(run.lastLatencyMs)} ms; its frame() ${Math.round(last?.cpuMs ?? 0)} ms, its transfer's wait ${Math.round(last?.gpuMs ?? 0)} ms): at ${describeStep(run.pacer)} now ${layer.url}`);
    const now = this.host.now();
    run.lateSince = run.pacer.evict ? (run.lateSince ?? now) : null;
    // Only a guest its pacer marked can be evicted: the neighbours are read for it alone.
    if (!run.pacer.evict) return;
    const layers = [...this.host.layers()];
    const reason = evictionReason(
      {
        pacer: run.pacer,
        intervalMs: interval,
        now,
        lastEvictionAt: this.lastEvictionAt,
        lateForMs: run.lateSince === null ? 0 : now - run.lateSince,
        othersStarting: othersStarting(layers, layer, this.waiting),
        othersBestMs: otherBestLatencies(layers, layer),
        othersUnmeasured: othersUnmeasured(layers, layer, now, this.host.policy),
        // Its admission frames came after its first frame: the neighbours' frames of those moments.
        othersBestDuringAdmissionMs: run.pacer.refused ? otherBestSince(layers, layer, admissionStart(run, now)) : undefined,
      },
      this.host.policy,
    );
    if (reason !== null) this.evictOrHold(run, layer, reason);
  }

  /** Evicts a guest its pacer marked, or holds it while others start (policy/admission-hold.ts). */
  private evictOrHold(run: GuestRun, layer: Layer, reason: string): void {
    const hold = shouldHold({ pacer: run.pacer, startsUnderWay: this.startsUnderWay(run), intervalMs: this.host.clock.nominalIntervalMs() }, this.host.policy);
    if (!hold) {
      this.evict(layer, reason);
      return;
    }
    run.pacer = pacerHold(run.pacer, this.host.policy);
    run.heldAt = this.host.now();
    layer.stateReason = `held at ${ADMISSION_SCALE} scale while other guests start, then measured again: ${reason}`;
    console.info(`[steadfast] layer ${layer.id} held while other guests start (${reason}) ${layer.url}`);
  }

  /**
   * Whether starts are loading the machine, for a hold: a worker in the costly part of its start
   * (it holds a start slot), or a layer waiting for one. Not a start past that part: the HUD's
   * chaos has a setup that never settles `loading` for 16 s, and it held the gallery's shader in
   * its hold all that time (probe).
   */
  /** Whether other guests' starts are under way, or ended a moment ago (policy/admission-hold.ts). */
  private startsUnderWay(except: GuestRun): boolean {
    const endedAt = [...this.host.layers()].map((layer) => (layer.liveRun && layer.liveRun !== except ? layer.liveRun.startEndedAt : null));
    return startsUnderWay(this.slots.taken || this.slots.counts.waiting > 0, endedAt, this.host.now());
  }

  /** A held guest delivered a frame: readmitted once nobody starts (or it has waited long enough). */
  private holdOrReadmit(run: GuestRun, layer: Layer): void {
    const now = this.host.now();
    if (!holdEnds(now - (run.heldAt ?? now), this.startsUnderWay(run))) return;
    console.info(`[steadfast] layer ${layer.id} readmitted after ${Math.round(now - (run.heldAt ?? now))} ms held ${layer.url}`);
    run.pacer = pacerReadmit(run.pacer);
    run.heldAt = null;
    run.readmittedAt = now;
    layer.stateReason = undefined;
  }

  /** Evicts a guest too slow even at the slowest pace: quarantined with the figures. */
  private evict(layer: Layer, reason: string): void {
    this.lastEvictionAt = this.host.now();
    layer.error = { phase: 'frame', message: reason };
    this.teardown(layer.run);
    layer.stateReason = reason;
    this.applyTo(layer, { type: 'quarantined' });
  }

  /** Ends a misbehaving layer's guest and restarts it with backoff, or quarantines it. Never waits for its thread. */
  private crashLayer(layer: Layer, error: LayerError, seen: WatchdogSaw = NOTHING_SEEN): void {
    if (layer.state === 'restarting' || layer.state === 'quarantined' || layer.state === 'failed' || layer.state === 'closed') return;
    layer.error = error;
    console.warn(`[steadfast] ${describeError(layer.url, error)}`);
    const frames = layer.run?.pacer.frames ?? 0;
    const run = layer.run;
    const now = this.host.now();
    // The page's restart log, for the storm rule: only its window matters.
    const window = this.host.policy.stormWindowMs;
    while (this.restartLog.length > 0 && this.restartLog[0]!.at < now - window) this.restartLog.shift();
    // The storm rule takes only crashes the guest's own code caused: a watchdog verdict may be a
    // starved machine's doing, and a healthy guest must not lose its restart to it. A hang is its
    // own only when the other guests were heard from meanwhile (the machine was not starving them).
    const ownDoing = error.phase === 'hang' ? seen.othersHeard : error.phase !== 'startup';
    layer.silentStarts = seen.silentStart ? layer.silentStarts + 1 : 0;
    const decision = onCrash(layer.restartHistory, now, this.host.policy, { restarts: this.restartLog, layer: layer.id, frames, ownDoing, silentStarts: layer.silentStarts });
    layer.restartHistory = decision.history;
    if (decision.action === 'quarantine') {
      this.teardown(run);
      layer.stateReason = decision.reason;
      this.applyTo(layer, { type: 'quarantined' });
      return;
    }
    // The restart reuses the guest's container (its process): kept while the layer still waits to restart.
    this.teardown(run, (spare) => {
      if (layer.state === 'restarting' && this.host.layer(layer.id) === layer && layer.spare === null) layer.spare = spare;
      else spare.dispose();
    });
    this.restartLog.push({ layer: layer.id, at: now });
    this.applyTo(layer, { type: 'crashed' });
    layer.restarts += 1;
    this.host.trace.record({ kind: 'restart', t: performance.now(), layer: layer.id, args: { phase: error.phase, reason: error.message.slice(0, 200), inMs: decision.delayMs } });
    // Runs after the backoff: spawn a fresh worker, unless the layer was unloaded or retried meanwhile.
    setTimeout(() => {
      if (layer.state !== 'restarting' || this.host.layer(layer.id) !== layer) return;
      this.applyTo(layer, { type: 'respawned' });
      this.startLayer(layer);
    }, decision.delayMs);
  }

  /**
   * Runs once a compositor frame, before the watchdog: a start past its costly part without a
   * first frame (policy/watchdog.ts startPastCostlyPart: its runtime up for a while, or its thread
   * idle, waiting) gives its start slot to the next layer waiting.
   */
  tick(now: number): void {
    const past = (run: GuestRun): boolean => {
      if (!startPastCostlyPart(run.liveness, now)) return false;
      run.startEndedAt = now; // its costly part is over: its start counts as ended from here
      return true;
    };
    if (this.slots.release(past)) this.startWaiting();
  }

  /**
   * Whether any guest is starting (a layer loading or restarting) or a version is under vetting:
   * live editing then starts no warm worker in the background. With no runs given, layers only.
   * (The hang limit widens only for a start's costly part: startBurst.)
   */
  anyStarting(vettingRuns: Iterable<GuestRun>): boolean {
    for (const layer of this.host.layers()) if (isStarting(layer, this.waiting)) return true;
    for (const run of vettingRuns) if (!run.retired) return true;
    return false;
  }

  /**
   * Whether a start's costly part is under way (a worker holds a start slot: spawned, no first
   * frame, not yet past that part: startPastCostlyPart) or a version is under vetting: either
   * starves every guest's thread for a moment (the hang limit widens). Not a start past that
   * part, nor a restart's backoff: a setup awaiting its network, or one that never settles (the
   * HUD's chaos has one loading for 16 s), loads nothing, and the hangs it used to excuse each
   * held a core for a second instead of a quarter.
   */
  startBurst(vettingRuns: Iterable<GuestRun>): boolean {
    if (this.slots.taken) return true;
    for (const run of vettingRuns) if (!run.retired) return true;
    return false;
  }

  /** The layer or vetting this run works for, if it still holds the run and the run is not retired. */
  private find(run: GuestRun): Found | null {
    if (run.retired) return null;
    const owner = run.owner;
    switch (owner.kind) {
      case 'layer': {
        const layer = this.host.layer(owner.id);
        return layer && layer.run === run ? { kind: 'layer', layer } : null;
      }
      case 'vetting': {
        const staging = this.host.versions.staging(owner.layerId);
        return staging && staging.run === run ? { kind: 'vetting', staging } : null;
      }
      default: {
        const check: never = owner;
        return check;
      }
    }
  }
}
