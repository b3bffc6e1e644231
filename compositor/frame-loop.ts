// The story of one compositor frame, top to bottom.
//
// 1. Ask for the next frame first, so nothing below can stop the loop. (A frame boundary: new
//    versions that passed vetting take their layers over here.)
// 2. Read the head pose for this frame, and fold it into the head's motion (for prediction).
// 3. Take whatever each run delivered since last time (never wait for one) and upload it.
// 4. Watch each run: a hung or never-starting one is crashed (the supervisor restarts it);
//    a missed deadline makes a layer stale, and a stale one past its grace is dropped.
// 5. Ask every run that is not busy, and whose pace allows, for its next frame, rendered for the
//    pose predicted at the time that frame will be shown.
// 6. Composite every running or stale layer's newest frame into each eye, in declared order,
//    reprojected from the pose it was rendered for to this frame's pose (timewarp); then each new
//    version under vetting as a small preview beside it, labelled with its progress; then the HUD
//    panel (if shown) and the controller's beam and cursor, drawn at this frame's pose.
// Steps 3–5 run for the runs of versions under vetting too, exactly as for live ones.
//
// Each run's work runs in its own try/catch naming it: a bad run is crashed and skipped
// (Monado's skip-and-log), never the frame. This file owns the frame's own state (its count,
// the head's motion, liveness skipping, its internal errors); what it acts on, it is lent.
import { mat4, quat, vec3 } from 'gl-matrix';
import type { Policy } from '../shared/limits';
import { median } from '../shared/median';
import type { WireView } from '../shared/protocol';
import type { CaptureQueue } from './capture';
import type { FrameClock } from './frame-clock';
import type { Graphics } from './gl/graphics';
import { drawLayer, drawPreview } from './gl/layer-draw';
import type { GuestRun } from './guests/guest-run';
import type { Supervisor } from './guests/supervisor';
import type { HudPanel } from './hud-panel/hud-panel';
import type { Layer } from './layer';
import { isComposited } from './layer-state';
import type { Staging } from './live-edit/staging';
import { pacerDue } from './policy/pacer';
import { livenessVerdict, newlyMissed, NO_LIFE_FACTOR, scheduleRequest, STARTING_HANG_MS } from './policy/watchdog';
import { nearestHit, pointerVisual } from './pointer/beam';
import type { PanelTarget, Pointing } from './pointer/pointing';
import type { Eye, PointerSource } from './pointer/ray';
import type { CompositorStats } from './stats';
import { framesUntilShown, initialMotion, movedViewMatrix, predictPose, recordPose, type HeadMotion, type PoseSample } from './timewarp/prediction';
import { requestViews } from './timewarp/request-views';
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
  /** Where the controller points, when there is one. */
  pointer(): PointerSource | null;
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

  constructor(private readonly world: FrameWorld) {}

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
      this.world.trace.record({ kind: 'frame', t: started, dur: work, args: { frame: this.frames } });
    };
    session.requestAnimationFrame(onXRFrame);
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
    // A burst of guests starting starves every guest's thread for a while: the hang limit widens.
    const starting = world.supervisor.anyStarting(vettingRuns);
    for (const run of runs) {
      this.guarded(run, () => {
        run.host.beginFrame();
        this.takeDelivered(run, contextLost);
        if (!this.watch(run, now, judgeLiveness, starting)) return;
        this.requestNext(run, views, head, now);
      });
    }
    if (contextLost) return; // nothing can be drawn until the context is restored (main.ts rebuilds it)

    gl.bindFramebuffer(gl.FRAMEBUFFER, glLayer.framebuffer);
    gl.disable(gl.SCISSOR_TEST);
    gl.clearColor(...CLEAR_COLOR);
    gl.clear(gl.COLOR_BUFFER_BIT);
    const hud = world.hudPanel();
    const pointer = world.pointing.read(world.pointer()?.(frame, space, eyes) ?? null);
    hud?.update(() => world.stats(), now, pointer);
    const selected = world.pointing.aim(pointer, hud?.hovered != null, panelTargets(world.layers()));
    if (selected !== null) world.editor.select(selected);
    const pointerSeen = pointer.ray ? pointerVisual(pointer.ray, nearestHit(hud?.hitT ?? null, world.pointing.pointedAt)) : null;
    const graphics = world.graphics;
    graphics.passes.begin();
    const viewports = eyes.map((eye) => eye.viewport);
    const labels = stagings.map((staging) => world.editor.previewLabel(staging));
    graphics.previewLabels.keepOnly(stagings);
    eyes.forEach(({ viewport: target }, index) => {
      gl.viewport(target.x, target.y, target.width, target.height);
      for (const layer of world.layers()) {
        const run = layer.liveRun;
        if (run && isComposited(layer.state)) this.guarded(run, () => drawLayer(graphics, layer.id, run, index, views[index]!, target, world.timewarp));
      }
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
  private watch(run: GuestRun, now: number, judgeLiveness: boolean, othersStarting: boolean): boolean {
    const { policy, supervisor, trace } = this.world;
    if (run.retired) return false;
    const verdict = judgeLiveness ? livenessVerdict(run.liveness, now, policy, othersStarting) : 'ok';
    switch (verdict) {
      case 'ok':
        break;
      case 'hang': {
        const during = run.inFlight ? 'frame()' : 'between frames';
        const limit = othersStarting ? Math.max(policy.hangMs, STARTING_HANG_MS) : policy.hangMs;
        supervisor.crash(run, { phase: 'hang', message: `no frame and no sign of life for ${Math.round(now - run.liveness.lastLifeAt)} ms (limit ${limit} ms, during ${during})` });
        return false;
      }
      case 'startup': {
        const overall = now - run.liveness.spawnedAt > NO_LIFE_FACTOR * policy.startupMs;
        const within = overall ? `${NO_LIFE_FACTOR * policy.startupMs} ms of spawning` : `${policy.startupMs} ms of starting`;
        supervisor.crash(run, { phase: 'startup', message: `no first frame within ${within} (${run.started ? 'setup finished, frame() never returned' : 'still loading or in setup()'})` });
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
    supervisor.staleFrame(run);
    return true;
  }

  /** Step 5: one request in flight per run, at the pace the pacer set; a busy run is not asked again yet. */
  private requestNext(run: GuestRun, views: WireView[], head: PoseSample, now: number): void {
    const { clock, timewarp, trace, supervisor } = this.world;
    run.framesSinceRequest += 1;
    if (run.retired || !run.started || run.handingOver || run.inFlight !== null || !supervisor.wantsFrames(run)) return;
    if (!pacerDue(run.pacer, run.framesSinceRequest)) return;
    const interval = clock.nominalIntervalMs();
    const request = scheduleRequest(this.nextFrameId++, now, this.frames, interval, run.pacer.divisor);
    const aheadMs = timewarp.prediction ? framesUntilShown(median(run.pacer.samples), interval) * interval : 0;
    run.inFlight = request;
    run.requestPose = { poseTime: head.t, aheadMs };
    run.framesSinceRequest = 0;
    trace.record({ kind: 'request', t: performance.now(), layer: run.owner.id, args: { frameId: request.frameId, pace: run.pacer.divisor, predictedMs: Math.round(aheadMs * 10) / 10 } });
    run.host.requestFrame({
      type: 'frame-request',
      frameId: request.frameId,
      time: now,
      deadline: request.deadline,
      views: requestViews(run.declaration, this.predictedViews(views, head, aheadMs), run.surface),
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
