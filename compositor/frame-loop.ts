// The story of one compositor frame, top to bottom.
//
// 1. Ask for the next frame first, so nothing below can stop the loop. (A frame boundary: new
//    versions that passed vetting take their layers over here.)
// 2. Read the head pose for this frame, and fold it into the head's motion (for prediction).
// 3. Take whatever each run delivered since last time (never wait for one) and upload it.
// 4. Watch each run: a hung or never-starting one is crashed (the supervisor restarts it);
//    a missed deadline makes a layer stale, and a stale one past its grace is dropped.
// 5. Composite every running or stale layer's newest frame into each eye, in declared order,
//    reprojected from the pose it was rendered for to this frame's pose (timewarp): runs of layers
//    all rendered far below the output's resolution go through the layer buffer at theirs, resolved
//    over the output once (policy/compose-scale.ts), the rest straight; then each new
//    version under vetting as a small preview beside it, labelled with its progress; then the HUD
//    panel (if shown) and the controller's beam and cursor, drawn at this frame's pose. A fence
//    after these draws measures their GPU time (gl/gpu-timer.ts). Input is decided here too: a
//    trigger press on another layer than the focused one moves focus (input/pick.ts finds it),
//    and the frame's select and squeeze events wait for the focused guest's next request.
// 6. Only then ask the runs that are not busy, and whose pace allows, for their next frames, as many
//    as the interval's surplus holds (policy/grants.ts: their measured GPU costs summed against
//    what is left after the compositor's own), the longest waiting first, each at the scale of its
//    surface its pacer chose, rendered for the pose predicted at the time that frame will be shown:
//    the compositor's own draws are ahead of every guest's on the shared GPU queue.
//    The focused guest's request carries the controllers, predicted likewise, and its events.
// 7. Judge the frame's own budget (policy/frame-budget.ts): its interval and its own cost set the
//    pressure on guests' budgets and the compositor's output scale.
// Steps 3, 4 and 6 run for the runs of versions under vetting too, exactly as for live ones.
//
// Each run's work runs in its own try/catch naming it: a bad run is crashed and skipped
// (Monado's skip-and-log), never the frame. This file owns the frame's own state (its count,
// the head's motion, liveness skipping, its internal errors); what it acts on, it is lent.
import { mat4, quat, vec3 } from 'gl-matrix';
import type { Policy } from '../shared/limits';
import { median } from '../shared/median';
import { BLURRED, type WireView } from '../shared/protocol';
import type { CaptureQueue } from './capture';
import type { FrameClock } from './frame-clock';
import type { Graphics } from './gl/graphics';
import type { GpuTimer } from './gl/gpu-timer';
import { drawLayer, drawPreview, footprintOf } from './gl/layer-draw';
import type { GuestRun } from './guests/guest-run';
import type { Supervisor } from './guests/supervisor';
import type { HudPanel } from './hud-panel/hud-panel';
import { routeFrameInput } from './input/frame-input';
import type { GuestInput } from './input/input';
import type { Layer } from './layer';
import { isComposited } from './layer-state';
import type { Staging } from './live-edit/staging';
import { composePlan, type ComposeSegment, type LayerFootprint } from './policy/compose-scale';
import { budgetRecord, guestSurplusMs, initialBudget, type BudgetState } from './policy/frame-budget';
import { backlogMs, guestCostMs, planGrants, type GrantCandidate } from './policy/grants';
import { pacerDue } from './policy/pacer';
import { abandoned, hangLimitMs, livenessVerdict, newlyMissed, NO_LIFE_FACTOR, scheduleRequest, setupHangLimitMs } from './policy/watchdog';
import { nearestHit, pointerVisual } from './pointer/beam';
import type { PanelTarget, Pointing } from './pointer/pointing';
import type { Eye, PointerSource } from './pointer/ray';
import type { CompositorStats } from './stats';
import { framesUntilShown, initialMotion, movedViewMatrix, predictPose, recordPose, type HeadMotion, type PoseSample } from './timewarp/prediction';
import { renderSize, requestViews } from './timewarp/request-views';
import type { TimewarpSettings } from './timewarp/settings';
import type { TraceRecorder } from './trace';

const CLEAR_COLOR = [0.02, 0.02, 0.03, 1] as const;

/** What the frame loop reads and acts on, lent by compositor.ts. */
export interface FrameWorld {
  readonly gl: WebGL2RenderingContext;
  readonly graphics: Graphics;
  readonly policy: Policy;
  readonly timewarp: TimewarpSettings;
  readonly clock: FrameClock;
  readonly trace: TraceRecorder;
  readonly supervisor: Supervisor;
  readonly pointing: Pointing;
  readonly captures: CaptureQueue;
  now(): number;
  /** Layers in compositing order. */
  layers(): Iterable<Layer>;
  /** Live editing: versions under vetting, what each preview's label says, and the frame boundary where vetted versions swap in. */
  readonly editor: {
    beginFrame(now: number): void;
    stagings(): Staging[];
    previewLabel(staging: Staging): string | null;
    /** A trigger press selected this layer (the edit shortcuts act on it). */
    select(id: number): void;
  };
  /** The in-headset HUD panel, when shown. */
  hudPanel(): HudPanel | null;
  /** The compositor's own output scale changed from `before` (main.ts resizes the XR layer's framebuffer or the emulator's canvas). */
  outputScaleChanged(scale: number, before: number): void;
  /** Measures the GPU time of each composite. */
  readonly gpu: GpuTimer;
  /** Where the controller points, when there is one. */
  pointer(): PointerSource | null;
  /** The user's input for guests: focus, routing, the controllers. */
  readonly input: GuestInput;
  /** The alpha (0..255) of layer `id`'s shown frame at surface pixel (x, y), origin bottom-left; null if unreadable. */
  alphaAt(id: number, x: number, y: number): number | null;
  /** The time a frame's pose holds, ms. */
  poseTimeOf(frame: XRFrame, time: number): number;
  stats(): CompositorStats;
}

export class FrameLoop {
  /** Compositor frames presented. */
  frames = 0;
  /** Frame ids handed to guests; one counter for all runs. */
  private nextFrameId = 1;
  /** The head's recent motion, for predicting where it will be. */
  motion: HeadMotion = initialMotion();
  /** Errors caught in the frame's own work, outside any run (should stay 0). */
  internalErrors = 0;
  lastInternalError: string | undefined;
  /** When the previous frame started (the watchdog skips judging hangs after a stall). */
  private lastFrameAt = -Infinity;
  /** Whether the previous frame skipped judging liveness (it never skips two in a row). */
  private skippedLiveness = false;
  /** The frame's own budget: pressure on guests, and the output scale. */
  budget: BudgetState;
  /** The compositor's own cost of its last frame, ms: main-thread work plus the composite's GPU time. */
  ownMs = 0;
  private lastStartedAt = NaN;
  /** The scale the last frame's buffered layers were composited at (the finest, if several runs), or 1: all straight into the output (policy/compose-scale.ts). */
  composeScale = 1;
  /** How many of the last frame's layers went through the layer buffer. */
  bufferedLayers = 0;
  /** The last frame's grants (policy/grants.ts): the surplus, what frames granted before still held of it, the cost granted, and the guests due but not asked, ms and count. */
  surplusMs = Infinity;
  backlogMs = 0;
  grantedMs = 0;
  deferred = 0;

  constructor(
    private readonly world: FrameWorld,
    adaptive = true,
    /** Whether layers may be composited at their own resolution (page URL compose=direct: never). */
    private readonly bufferLayers = true,
  ) {
    this.budget = initialBudget(adaptive);
  }

  /** Starts presenting: one frame per display refresh of the XR session (headset or emulator). */
  start(session: XRSession, space: XRReferenceSpace): void {
    // Runs once per display refresh, called by the XR session.
    const onXRFrame: XRFrameRequestCallback = (time, frame) => {
      session.requestAnimationFrame(onXRFrame);
      const started = performance.now();
      try {
        this.present(frame, time, space);
      } catch (e) {
        this.internalError(e instanceof Error ? e.message : String(e));
        console.error('[steadfast] frame failed outside any layer', e);
      }
      const work = performance.now() - started;
      this.world.clock.record(started, work);
      this.judgeBudget(started, work);
      this.world.trace.record({ kind: 'frame', t: started, dur: work, args: { frame: this.frames, time: this.world.poseTimeOf(frame, time) } });
    };
    session.requestAnimationFrame(onXRFrame);
  }

  /** Step 7: the frame's interval and own cost, judged; an output scale change is passed on. */
  private judgeBudget(started: number, work: number): void {
    const world = this.world;
    this.ownMs = work + world.gpu.lastMs;
    const interval = Number.isNaN(this.lastStartedAt) ? world.clock.nominalIntervalMs() : started - this.lastStartedAt;
    this.lastStartedAt = started;
    const before = this.budget.outputScale;
    this.budget = budgetRecord(this.budget, { intervalMs: interval, ownMs: this.ownMs }, world.clock.nominalIntervalMs());
    if (this.budget.outputScale !== before) {
      console.info(`[steadfast] output scale ${before} → ${this.budget.outputScale} (own cost ${this.ownMs.toFixed(1)} ms)`);
      world.outputScaleChanged(this.budget.outputScale, before);
    }
  }

  private internalError(message: string): void {
    this.internalErrors += 1;
    this.lastInternalError = message;
  }

  private present(frame: XRFrame, time: number, space: XRReferenceSpace): void {
    const world = this.world;
    const glLayer = frame.session.renderState.baseLayer;
    const pose = frame.getViewerPose(space);
    if (!glLayer || !pose) return;
    const now = world.now();
    const { position: p, orientation: o } = pose.transform;
    const head: PoseSample = { t: world.poseTimeOf(frame, time), position: vec3.fromValues(p.x, p.y, p.z), orientation: quat.fromValues(o.x, o.y, o.z, o.w) };
    this.motion = recordPose(this.motion, head);
    world.input.sources.read(frame, space, head.t);
    // After a stall of the compositor's own thread, guests' messages may still be queued behind
    // it: judge nobody hung in the first frame after it, so they can be read first. Never skip two
    // frames running, or a compositor slowed for good (by a GPU hog, say) would judge no one.
    const stalled = now - this.lastFrameAt >= world.policy.hangMs / 2;
    const judgeLiveness = !stalled || this.skippedLiveness;
    this.skippedLiveness = !judgeLiveness;
    this.lastFrameAt = now;
    world.editor.beginFrame(now);
    // The eyes this frame draws: views with pixels (an emulated single-eye view gives its second none).
    const eyes: Eye[] = [];
    for (const view of pose.views) {
      const vp = glLayer.getViewport(view);
      if (vp && vp.width > 0 && vp.height > 0) eyes.push({ view: toWireView(view), viewport: { x: vp.x, y: vp.y, width: vp.width, height: vp.height } });
    }
    const views = eyes.map((eye) => eye.view);
    const gl = world.gl;
    const contextLost = gl.isContextLost();

    const stagings = world.editor.stagings();
    const runs: GuestRun[] = [];
    for (const layer of world.layers()) if (layer.liveRun) runs.push(layer.liveRun);
    const vettingRuns: GuestRun[] = [];
    for (const staging of stagings) if (staging.run && !staging.run.retired) vettingRuns.push(staging.run);
    runs.push(...vettingRuns);
    // Starts past their costly part give their start slots to the layers waiting.
    world.supervisor.tick(now);
    // A burst of guests starting starves every guest's thread for a while: the hang limit widens.
    const starting = world.supervisor.startBurst(vettingRuns);
    // How long the two best-heard guests whose runtimes are up have been silent (their heartbeats
    // are the machine's pulse: starting ones count too): a starved machine silences all.
    let quietest = Infinity;
    let secondQuietest = Infinity;
    for (const run of runs) {
      if (run.retired || run.liveness.firstLifeAt === null) continue;
      const quiet = now - run.liveness.lastLifeAt;
      if (quiet < quietest) [secondQuietest, quietest] = [quietest, quiet];
      else if (quiet < secondQuietest) secondQuietest = quiet;
    }
    const watched: GuestRun[] = [];
    for (const run of runs) {
      this.guarded(run, () => {
        run.host.beginFrame();
        this.takeDelivered(run, contextLost);
        // The best-heard *other* guest: if this one is the best heard, the second best.
        const own = now - run.liveness.lastLifeAt;
        const others = own <= quietest ? secondQuietest : quietest;
        if (this.watch(run, now, judgeLiveness, starting, Number.isFinite(others) ? others : 0)) watched.push(run);
      });
    }
    if (!contextLost) {
      this.composite(frame, space, glLayer, eyes, views, head, now, stagings);
      world.gpu.submitted();
    }
    // Guests are asked only now: their GPU work queues behind the composite just issued, and only
    // as much of it as fits the interval's surplus (policy/grants.ts).
    const due: GrantCandidate<GuestRun>[] = [];
    for (const run of watched) {
      run.framesSinceRequest += 1;
      const urgent = run.owner.kind === 'layer' && this.world.input.waiting(run.owner.id);
      if (this.dueForRequest(run, urgent)) due.push({ run, waited: run.framesSinceRequest, urgent, costMs: guestCostMs(run.recent, run.pacer.scale) });
    }
    const inFlight = runs.map((run) => (run.retired || !run.inFlight ? null : { costMs: run.requestCostMs, sentAt: run.inFlight.sentAt }));
    this.backlogMs = backlogMs(inFlight, now);
    this.surplusMs = guestSurplusMs(this.budget, world.clock.nominalIntervalMs());
    const plan = planGrants(due, this.backlogMs, this.surplusMs);
    this.grantedMs = plan.grantedMs;
    this.deferred = due.length - plan.granted.length;
    // Ahead of each granted frame on the GPU queue: the composite just issued, and what the plan counted.
    const composite = contextLost ? 0 : world.gpu.lastMs;
    const costs = new Map(due.map((candidate) => [candidate.run, candidate.costMs]));
    plan.granted.forEach((run, i) => this.guarded(run, () => this.requestNext(run, views, head, now, costs.get(run) ?? 0, composite + plan.ahead[i]!)));
  }

  /**
   * Whether the run may be asked for a frame now: started, idle, wanted, and due at its pace, or
   * `urgent` (the focused guest with input waiting: a press is answered a frame sooner, at most one
   * extra frame per press).
   */
  private dueForRequest(run: GuestRun, urgent: boolean): boolean {
    if (run.retired || !run.started || run.handingOver || run.inFlight !== null || !this.world.supervisor.wantsFrames(run)) return false;
    return urgent || pacerDue(run.pacer, run.framesSinceRequest);
  }

  /** Step 5: every layer, the previews, the HUD panel and the pointer, into each eye. */
  private composite(frame: XRFrame, space: XRReferenceSpace, glLayer: XRWebGLLayer, eyes: Eye[], views: WireView[], head: PoseSample, now: number, stagings: Staging[]): void {
    const world = this.world;
    const gl = world.gl;

    gl.bindFramebuffer(gl.FRAMEBUFFER, glLayer.framebuffer);
    gl.disable(gl.SCISSOR_TEST);
    gl.clearColor(...CLEAR_COLOR);
    gl.clear(gl.COLOR_BUFFER_BIT);
    const hud = world.hudPanel();
    const pointer = world.pointing.read(world.pointer()?.(frame, space, eyes) ?? null);
    hud?.update(() => world.stats(), now, pointer);
    const selected = world.pointing.aim(pointer, hud?.hovered != null, panelTargets(world.layers()));
    if (selected !== null) world.editor.select(selected);
    routeFrameInput(world.input, [...world.layers()], pointer, hud?.hitT ?? null, world.pointing.pointedAt, (id, x, y) => world.alphaAt(id, x, y));
    const pointerSeen = pointer.ray ? pointerVisual(pointer.ray, nearestHit(hud?.hitT ?? null, world.pointing.pointedAt)) : null;
    const graphics = world.graphics;
    graphics.passes.begin();
    const viewports = eyes.map((eye) => eye.viewport);
    const labels = stagings.map((staging) => world.editor.previewLabel(staging));
    graphics.previewLabels.keepOnly(stagings);
    // The layers: straight into the output, or, when they were all rendered far below its
    // resolution, into the layer buffer at theirs and resolved over the output once.
    const composited: { id: number; run: GuestRun }[] = [];
    for (const layer of world.layers()) {
      const run = layer.liveRun;
      if (run && isComposited(layer.state)) composited.push({ id: layer.id, run });
    }
    const plan = this.composePlanFor(composited, eyes, views);
    let finest = 0;
    let buffered = 0;
    for (const segment of plan) {
      const layers = composited.slice(segment.start, segment.end);
      const inner = segment.scale < 1 ? graphics.layerBuffer.begin(glLayer.framebufferWidth, glLayer.framebufferHeight, segment.scale, viewports) : null;
      if (inner) {
        finest = Math.max(finest, segment.scale);
        buffered += layers.length;
      } else gl.bindFramebuffer(gl.FRAMEBUFFER, glLayer.framebuffer);
      (inner ?? viewports).forEach((target, index) => {
        gl.viewport(target.x, target.y, target.width, target.height);
        for (const { id, run } of layers) this.guarded(run, () => drawLayer(graphics, id, run, index, views[index]!, target, world.timewarp));
      });
      if (inner) graphics.layerBuffer.resolve(glLayer.framebuffer, viewports, inner);
    }
    this.composeScale = finest > 0 ? finest : 1;
    this.bufferedLayers = buffered;
    // Then, at the output's resolution: each version under vetting as a preview, the HUD panel and the beam.
    eyes.forEach(({ viewport: target }, index) => {
      stagings.forEach((staging, n) => {
        const run = staging.run;
        if (run && !run.retired) this.guarded(run, () => drawPreview(graphics, staging.id, run, index, target, n, labels[n] ?? null));
      });
      gl.viewport(target.x, target.y, target.width, target.height);
      hud?.render(graphics.passes.quad, views[index]!);
      if (pointerSeen) graphics.passes.pointer.draw(pointerSeen, views[index]!);
    });
    this.frames += 1;
    world.captures.answer(gl, { head, views, viewports }, () => [...world.layers()]);
  }

  /**
   * How to composite this frame's layers (policy/compose-scale.ts), from their footprints: each
   * layer's finest density over the eyes (a panel off to one side is finer in one of them).
   */
  private composePlanFor(composited: readonly { id: number; run: GuestRun }[], eyes: readonly Eye[], views: readonly WireView[]): ComposeSegment[] {
    const straight = composited.length > 0 ? [{ start: 0, end: composited.length, scale: 1 }] : [];
    if (eyes.length === 0 || !this.bufferLayers) return straight;
    const footprints: LayerFootprint[] = [];
    for (const { id, run } of composited) {
      // A layer with nothing to show yet draws nothing: it costs nothing, at any scale.
      const footprint = { density: 0, area: 0 };
      try {
        eyes.forEach((eye, index) => {
          const seen = footprintOf(this.world.graphics, id, run, index, views[index]!, eye.viewport);
          if (!seen) return;
          footprint.density = Math.max(footprint.density, seen.density);
          footprint.area = Math.max(footprint.area, seen.area);
        });
      } catch {
        return straight; // a layer whose footprint cannot be told: draw straight (its own draw will name any fault)
      }
      footprints.push(footprint);
    }
    return composePlan(footprints, this.budget.adaptive, this.bufferedLayers > 0);
  }

  /** Step 3: upload the newest delivered frame, if there is one; that is fresh content this frame. */
  private takeDelivered(run: GuestRun, contextLost: boolean): void {
    const delivered = run.takeDelivered();
    if (!delivered) return;
    if (contextLost) {
      delivered.bitmap.close();
      return;
    }
    this.world.graphics.textures.upload(run.owner.id, delivered.bitmap);
    this.world.trace.record({ kind: 'composite', t: performance.now(), layer: run.owner.id, args: { frameId: delivered.frameId } });
    run.shownViews = delivered.views;
    run.shownPose = run.deliveredPose;
    this.world.supervisor.shown(run);
  }

  /** Step 4: the watchdog. Returns false when the run was crashed and needs nothing more this frame. */
  private watch(run: GuestRun, now: number, judgeLiveness: boolean, othersStarting: boolean, othersQuietMs: number): boolean {
    const { policy, supervisor, trace } = this.world;
    if (run.retired) return false;
    const verdict = judgeLiveness ? livenessVerdict(run.liveness, now, policy, othersStarting, othersQuietMs) : 'ok';
    switch (verdict) {
      case 'ok':
        break;
      case 'hang': {
        const during = run.inFlight ? 'frame()' : 'between frames';
        const limit = Math.round(hangLimitMs(policy, othersStarting, othersQuietMs));
        const othersHeard = othersQuietMs < policy.hangMs;
        supervisor.crash(run, { phase: 'hang', message: `no frame and no sign of life for ${Math.round(now - run.liveness.lastLifeAt)} ms (limit ${limit} ms, during ${during})` }, { silentStart: false, othersHeard });
        return false;
      }
      case 'startup': {
        const overall = now - run.liveness.spawnedAt > NO_LIFE_FACTOR * policy.startupMs;
        const within = overall ? `${NO_LIFE_FACTOR * policy.startupMs} ms of spawning` : `${policy.startupMs} ms of starting`;
        supervisor.crash(run, { phase: 'startup', message: `no first frame within ${within} (${run.started ? 'setup finished, frame() never returned' : 'still loading or in setup()'})` });
        return false;
      }
      case 'setup-hang': {
        const limit = Math.round(setupHangLimitMs(policy, othersStarting, othersQuietMs));
        const where = run.started ? 'in its first frame()' : 'while loading or in setup()';
        supervisor.crash(run, { phase: 'startup', message: `no first frame: no sign of life for ${Math.round(now - run.liveness.lastLifeAt)} ms ${where} (limit ${limit} ms)` }, { silentStart: true, othersHeard: false });
        return false;
      }
      case 'silent':
        supervisor.crash(run, { phase: 'startup', message: `no first frame within ${NO_LIFE_FACTOR * policy.startupMs} ms of starting (its runtime never answered)` });
        return false;
      default: {
        const check: never = verdict;
        return check;
      }
    }
    if (run.inFlight && newlyMissed(run.inFlight, this.frames)) {
      run.inFlight.missed = true;
      trace.record({ kind: 'miss', t: performance.now(), layer: run.owner.id, args: { frameId: run.inFlight.frameId } });
      supervisor.missed(run);
    }
    // A request still unanswered long after its deadline while the guest is alive (its heartbeats
    // come) was lost (its answer dropped on the way, or never sent): give it up and ask again, or
    // the run would wait for it for ever. A late answer to it is closed as unasked.
    if (run.inFlight && abandoned(run.inFlight, now, policy.hangMs)) {
      trace.record({ kind: 'miss', t: performance.now(), layer: run.owner.id, args: { frameId: run.inFlight.frameId, abandoned: true } });
      run.inFlight = null;
      run.requestSize = null;
      run.requestPose = null;
    }
    supervisor.staleFrame(run);
    return true;
  }

  /**
   * Step 6: one request in flight per run, at the pace and scale the pacer set (the run is due:
   * dueForRequest), granted for `costMs` of GPU time behind `queuedMs` of work (policy/grants.ts).
   */
  private requestNext(run: GuestRun, views: WireView[], head: PoseSample, now: number, costMs: number, queuedMs: number): void {
    const { clock, timewarp, trace } = this.world;
    const interval = clock.nominalIntervalMs();
    const request = scheduleRequest(this.nextFrameId++, now, this.frames, interval, run.pacer.divisor);
    const aheadMs = timewarp.prediction ? framesUntilShown(median(run.pacer.samples), interval) * interval : 0;
    const scale = run.pacer.scale;
    const size = renderSize(run.declaration, run.surface, scale);
    run.inFlight = request;
    run.requestSize = size;
    run.requestPose = { poseTime: head.t, aheadMs };
    run.framesSinceRequest = 0;
    run.requestScale = scale;
    run.requestCostMs = costMs;
    run.requestAheadMs = queuedMs;
    trace.record({ kind: 'request', t: performance.now(), layer: run.owner.id, args: { frameId: request.frameId, pace: run.pacer.divisor, scale, costMs: Math.round(costMs * 10) / 10, predictedMs: Math.round(aheadMs * 10) / 10 } });
    run.host.requestFrame({
      type: 'frame-request',
      frameId: request.frameId,
      time: now,
      deadline: request.deadline,
      width: size.width,
      height: size.height,
      scale,
      views: requestViews(run.declaration, this.predictedViews(views, head, aheadMs), run.surface, scale),
      input: run.owner.kind === 'layer' ? this.world.input.inputFor(run.owner.id, aheadMs) : BLURRED,
    });
  }

  /** The views as they will be `aheadMs` from now if the head keeps its velocity (the views themselves at 0). */
  private predictedViews(views: WireView[], head: PoseSample, aheadMs: number): WireView[] {
    const predicted = aheadMs > 0 ? predictPose(this.motion, aheadMs) : null;
    if (!predicted) return views;
    return views.map((view) => ({ ...view, viewMatrix: movedViewMatrix(view.viewMatrix, head, predicted, mat4.create()) as Float32Array }));
  }

  /** Runs `work` for one run; anything it throws crashes that run (named), never the frame. */
  private guarded(run: GuestRun, work: () => void): void {
    try {
      work();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      try {
        this.world.supervisor.crash(run, { phase: 'composite', message, stack: e instanceof Error ? e.stack : undefined });
      } catch (inner) {
        this.internalError(`layer ${run.owner.id}: ${inner instanceof Error ? inner.message : String(inner)}`);
      }
    }
  }
}

/** The layers the pointer can meet this frame: the composited ones. */
function* panelTargets(layers: Iterable<Layer>): Iterable<PanelTarget> {
  for (const layer of layers) if (layer.run && isComposited(layer.state)) yield { id: layer.id, declaration: layer.run.declaration };
}

/** The XR view as sent to guests: matrices copied, viewport to be filled per surface. */
function toWireView(view: XRView): WireView {
  return {
    eye: view.eye,
    projectionMatrix: new Float32Array(view.projectionMatrix),
    viewMatrix: new Float32Array(view.transform.inverse.matrix),
    viewport: { x: 0, y: 0, width: 0, height: 0 },
  };
}
