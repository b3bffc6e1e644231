// The story of one compositor frame, top to bottom.
//
// 1. Ask for the next frame first, so nothing below can stop the loop. (A frame boundary: new
//    versions that passed vetting take their layers over here.)
// 2. Read the head pose for this frame, and fold it into the head's motion (for prediction).
// 3. Take whatever each guest delivered since last time (never wait for one) and upload it.
// 4. Watch each guest: a hung or never-starting one is crashed (the supervisor restarts it);
//    a missed deadline makes a layer stale, and a stale one past its grace is dropped.
// 5. Ask every live guest that is not busy, and whose pace allows, for its next frame, rendered
//    for the pose predicted at the time that frame will be shown.
// 6. Composite every running or stale layer's newest frame into each eye, in declared order,
//    reprojected from the pose it was rendered for to this frame's pose (timewarp); then each new
//    version under vetting as a small preview beside it, labelled with its progress; then the HUD
//    panel (if shown) and the controller's beam and cursor, drawn at this frame's pose.
// Steps 3–5 run for versions under vetting too (their staging layers), exactly as for live ones.
//
// Each layer's work runs in its own try/catch naming the layer: a bad layer is crashed
// and skipped (Monado's skip-and-log), never the frame.
import { mat3, mat4, quat, vec3 } from 'gl-matrix';
import type { Viewport, WireView } from '../shared/protocol';
import type { Compositor } from './compositor';
import type { Layer } from './layer';
import { isComposited, wantsFrames } from './layer-state';
import { median, pacerDue } from './policy/pacer';
import { nearestHit, pointerVisual } from './pointer-beam';
import { LABEL_PIXELS } from './live-edit/preview-label';
import { graceExpired, livenessVerdict, newlyMissed, scheduleRequest } from './policy/watchdog';
import { framesUntilShown, movedViewMatrix, predictPose, recordPose, type PoseSample } from './timewarp/prediction';
import { requestViews } from './timewarp/request-views';
import { cylinderFromClip, depthReprojection, projectionWarp, quadClipFromPanel } from './timewarp/layer-matrices';

const CLEAR_COLOR = [0.02, 0.02, 0.03, 1] as const;

export function startFrameLoop(session: XRSession, space: XRReferenceSpace, compositor: Compositor): void {
  // Runs once per display refresh, called by the XR session (headset or emulator).
  const onXRFrame: XRFrameRequestCallback = (time, frame) => {
    session.requestAnimationFrame(onXRFrame);
    const started = performance.now();
    try {
      presentFrame(frame, time, space, compositor);
    } catch (e) {
      compositor.internalErrors += 1;
      compositor.lastInternalError = e instanceof Error ? e.message : String(e);
      console.error('[steadfast] frame failed outside any layer', e);
    }
    const work = performance.now() - started;
    compositor.clock.record(started, work);
    compositor.trace.record({ kind: 'frame', t: started, dur: work, args: { frame: compositor.frames } });
  };
  session.requestAnimationFrame(onXRFrame);
}

/** What one frame presents: the head pose, its time, and each eye's view. */
export interface PresentedFrame {
  head: PoseSample;
  views: WireView[];
  viewports: Viewport[];
}

function presentFrame(frame: XRFrame, time: number, space: XRReferenceSpace, compositor: Compositor): void {
  const glLayer = frame.session.renderState.baseLayer;
  const pose = frame.getViewerPose(space);
  if (!glLayer || !pose) return;
  const now = compositor.now();
  const { position: p, orientation: o } = pose.transform;
  const head: PoseSample = { t: compositor.poseTimeOf(frame, time), position: vec3.fromValues(p.x, p.y, p.z), orientation: quat.fromValues(o.x, o.y, o.z, o.w) };
  compositor.motion = recordPose(compositor.motion, head);
  // After a stall of the compositor's own thread, guests' messages may still be queued behind
  // it: judge nobody hung in the first frame after it, so they can be read first. Never skip two
  // frames running, or a compositor slowed for good (by a GPU hog, say) would judge no one.
  const stalled = now - compositor.lastFrameAt >= compositor.policy.hangMs / 2;
  const judgeLiveness = !stalled || compositor.skippedLiveness;
  compositor.skippedLiveness = !judgeLiveness;
  compositor.lastFrameAt = now;
  compositor.editor.beginFrame(now);
  // The eyes this frame draws: views with pixels (an emulated single-eye view gives its second none).
  const eyes: { view: WireView; viewport: Viewport }[] = [];
  for (const view of pose.views) {
    const vp = glLayer.getViewport(view);
    if (vp && vp.width > 0 && vp.height > 0) eyes.push({ view: toWireView(view), viewport: { x: vp.x, y: vp.y, width: vp.width, height: vp.height } });
  }
  const views = eyes.map((eye) => eye.view);
  const gl = compositor.gl;
  const contextLost = gl.isContextLost();

  const staging = compositor.editor.stagingLayers();
  for (const layer of [...compositor.layers(), ...staging]) {
    guarded(compositor, layer, () => {
      layer.host?.beginFrame();
      takeDelivered(compositor, layer, contextLost);
      if (!watch(compositor, layer, now, judgeLiveness)) return;
      requestNext(compositor, layer, views, head, now);
    });
  }
  if (contextLost) return; // nothing can be drawn until the context is restored (main.ts rebuilds it)

  gl.bindFramebuffer(gl.FRAMEBUFFER, glLayer.framebuffer);
  gl.disable(gl.SCISSOR_TEST);
  gl.clearColor(...CLEAR_COLOR);
  gl.clear(gl.COLOR_BUFFER_BIT);
  const pointer = compositor.readPointer(compositor.pointer?.(frame, space, eyes) ?? null);
  compositor.hudPanel?.update(() => compositor.stats(), now, pointer);
  compositor.pointAt(pointer, compositor.hudPanel?.hovered != null);
  const pointerSeen = pointer.ray ? pointerVisual(pointer.ray, nearestHit(compositor.hudPanel?.hitT ?? null, compositor.pointedAt)) : null;
  compositor.passes.begin();
  const viewports = eyes.map((eye) => eye.viewport);
  const labels = staging.map((layer) => compositor.editor.previewLabel(layer));
  compositor.previewLabels.keepOnly(staging);
  eyes.forEach(({ viewport: target }, index) => {
    gl.viewport(target.x, target.y, target.width, target.height);
    for (const layer of compositor.layers()) {
      if (isComposited(layer.state)) guarded(compositor, layer, () => drawLayer(compositor, layer, index, views[index]!, target));
    }
    staging.forEach((layer, n) => guarded(compositor, layer, () => drawPreview(compositor, layer, index, target, n, labels[n] ?? null)));
    gl.viewport(target.x, target.y, target.width, target.height);
    compositor.hudPanel?.render(compositor.passes.quad, views[index]!);
    if (pointerSeen) compositor.passes.pointer.draw(pointerSeen, views[index]!);
  });
  compositor.frames += 1;
  compositor.afterPresent({ head, views, viewports });
}

/** Step 3: upload the newest delivered frame, if there is one; that is fresh content this frame. */
function takeDelivered(compositor: Compositor, layer: Layer, contextLost: boolean): void {
  const delivered = layer.takeDelivered();
  if (!delivered) return;
  if (contextLost) {
    delivered.bitmap.close();
    return;
  }
  compositor.textures.upload(layer.id, delivered.bitmap);
  compositor.trace.record({ kind: 'composite', t: performance.now(), layer: layer.id, args: { frameId: delivered.frameId } });
  layer.shownViews = delivered.views;
  layer.shownPose = layer.deliveredPose;
  layer.presented += 1;
}

/** Step 4: the watchdog. Returns false when the layer was crashed and needs nothing more this frame. */
function watch(compositor: Compositor, layer: Layer, now: number, judgeLiveness: boolean): boolean {
  if (!layer.host) return false;
  const verdict = judgeLiveness ? livenessVerdict(layer.liveness, now, compositor.policy) : 'ok';
  if (verdict === 'hang') {
    const during = layer.inFlight ? 'frame()' : 'between frames';
    compositor.crash(layer, { phase: 'hang', message: `no frame and no sign of life for ${Math.round(now - layer.liveness.lastLifeAt)} ms (limit ${compositor.policy.hangMs} ms, during ${during})` });
    return false;
  }
  if (verdict === 'startup') {
    compositor.crash(layer, { phase: 'startup', message: `no first frame within ${compositor.policy.startupMs} ms of starting (${layer.started ? 'setup finished, frame() never returned' : 'still loading or in setup()'})` });
    return false;
  }
  if (layer.inFlight && newlyMissed(layer.inFlight, compositor.frames)) {
    layer.inFlight.missed = true;
    layer.missed += 1;
    compositor.trace.record({ kind: 'miss', t: performance.now(), layer: layer.id, args: { frameId: layer.inFlight.frameId } });
    compositor.apply(layer, { type: 'deadline-missed' });
  }
  if (layer.state === 'stale') {
    layer.staleFrames += 1;
    if (graceExpired(layer.staleFrames, compositor.policy)) compositor.apply(layer, { type: 'grace-expired' });
  }
  return true;
}

/** Step 5: one request in flight per guest, at the pace the pacer set; a busy guest is not asked again yet. */
function requestNext(compositor: Compositor, layer: Layer, views: WireView[], head: PoseSample, now: number): void {
  layer.framesSinceRequest += 1;
  if (!layer.host || !layer.started || layer.frozen || layer.handingOver || !wantsFrames(layer.state) || layer.inFlight !== null) return;
  if (!pacerDue(layer.pacer, layer.framesSinceRequest)) return;
  const interval = compositor.clock.nominalIntervalMs();
  const request = scheduleRequest(compositor.nextFrameId++, now, compositor.frames, interval, layer.pacer.divisor);
  const aheadMs = compositor.timewarp.prediction ? framesUntilShown(median(layer.pacer.samples), interval) * interval : 0;
  layer.inFlight = request;
  layer.requestPose = { poseTime: head.t, aheadMs };
  layer.framesSinceRequest = 0;
  compositor.trace.record({ kind: 'request', t: performance.now(), layer: layer.id, args: { frameId: request.frameId, pace: layer.pacer.divisor, predictedMs: Math.round(aheadMs * 10) / 10 } });
  layer.host.requestFrame({
    type: 'frame-request',
    frameId: request.frameId,
    time: now,
    deadline: request.deadline,
    views: requestViews(layer.declaration, predictedViews(compositor, views, head, aheadMs), layer.surface),
  });
}

/** The views as they will be `aheadMs` from now if the head keeps its velocity (the views themselves at 0). */
function predictedViews(compositor: Compositor, views: WireView[], head: PoseSample, aheadMs: number): WireView[] {
  const predicted = aheadMs > 0 ? predictPose(compositor.motion, aheadMs) : null;
  if (!predicted) return views;
  return views.map((view) => ({ ...view, viewMatrix: movedViewMatrix(view.viewMatrix, head, predicted, mat4.create()) as Float32Array }));
}

const scratchWarp = mat3.create();
const scratchMatrix = mat4.create();

/**
 * Step 6: draw a layer into eye `index` (view `current`, viewport `target`), by its type:
 * projection layers reprojected from the pose they were rendered for (by depth where they give
 * it, else by rotation), quad and cylinder layers placed in the world at the current pose.
 */
function drawLayer(compositor: Compositor, layer: Layer, index: number, current: WireView, target: Viewport): void {
  const texture = compositor.textures.get(layer.id);
  if (!texture || !layer.shownViews) return;
  const surface = { width: texture.width, height: texture.height };
  const passes = compositor.passes;
  const declaration = layer.declaration;
  switch (declaration.type) {
    case 'projection': {
      const rendered = layer.shownViews[index];
      if (!rendered) return;
      const depth = rendered.depthViewport;
      if (depth && compositor.timewarp.enabled) {
        const reproject = depthReprojection(rendered, current, scratchMatrix);
        if (reproject) passes.depthWarp.draw(texture.texture, rendered.viewport, depth, surface, reproject, target);
        return;
      }
      const warp = projectionWarp(rendered, current, compositor.timewarp.enabled, scratchWarp);
      passes.projection.draw(texture.texture, rendered.viewport, surface, warp, compositor.timewarp.fallback === 'clamp');
      return;
    }
    case 'quad':
      passes.quad.draw(texture.texture, quadClipFromPanel(declaration, current, scratchMatrix));
      return;
    case 'cylinder': {
      const inverse = cylinderFromClip(declaration, current, scratchMatrix);
      if (inverse) passes.cylinder.draw(texture.texture, inverse, declaration);
      return;
    }
    default: {
      const check: never = declaration;
      return check;
    }
  }
}

const IDENTITY3 = mat3.create();
/** Preview panels: a fraction of the eye, stacked up from its bottom-right corner. */
const PREVIEW_SCALE = 0.3;
const LABEL_SOURCE = { x: 0, y: 0, ...LABEL_PIXELS };
const PREVIEW_MARGIN = 8;

/** Step 6: a new version under vetting, shown as rendered (no warp) in a small panel in the eye's corner. */
function drawPreview(compositor: Compositor, staging: Layer, index: number, eye: Viewport, n: number, label: string | null): void {
  const texture = compositor.textures.get(staging.id);
  const views = staging.shownViews;
  if (!texture || !views) return;
  const src = (views[index] ?? views[0])!.viewport;
  const width = Math.round(eye.width * PREVIEW_SCALE);
  const height = Math.max(1, Math.round((width * src.height) / Math.max(1, src.width)));
  const labelHeight = Math.max(1, Math.round((width * LABEL_PIXELS.height) / LABEL_PIXELS.width));
  const x = eye.x + eye.width - width - PREVIEW_MARGIN;
  const y = eye.y + PREVIEW_MARGIN + n * (height + labelHeight + PREVIEW_MARGIN);
  compositor.gl.viewport(x, y, width, height);
  compositor.passes.projection.draw(texture.texture, src, { width: texture.width, height: texture.height }, IDENTITY3, true);
  if (label === null) return;
  // Its progress and measured frame rate, just above it.
  compositor.gl.viewport(x, y + height, width, labelHeight);
  compositor.passes.projection.draw(compositor.previewLabels.texture(staging.id, label), LABEL_SOURCE, LABEL_PIXELS, IDENTITY3, true);
}

function guarded(compositor: Compositor, layer: Layer, work: () => void): void {
  try {
    work();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    try {
      compositor.crash(layer, { phase: 'composite', message, stack: e instanceof Error ? e.stack : undefined });
    } catch (inner) {
      compositor.internalErrors += 1;
      compositor.lastInternalError = `layer ${layer.id}: ${inner instanceof Error ? inner.message : String(inner)}`;
    }
  }
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
