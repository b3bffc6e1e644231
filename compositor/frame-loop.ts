// The story of one compositor frame, top to bottom.
//
// 1. Ask for the next frame first, so nothing below can stop the loop.
// 2. Read the head pose for this frame.
// 3. Take whatever each guest delivered since last time (never wait for one) and upload it.
// 4. Ask every live guest that is not busy for its next frame, for this pose.
// 5. Composite every layer's newest frame into each eye's viewport, in declared order.
//
// Each layer's work runs in its own try/catch naming the layer: a bad layer is failed
// and skipped (Monado's skip-and-log), never the frame.
import type { WireView } from '../shared/protocol';
import type { Compositor } from './compositor';
import type { Layer } from './layer';
import { isComposited, wantsFrames } from './layer-state';

const CLEAR_COLOR = [0.02, 0.02, 0.03, 1] as const;

export function startFrameLoop(session: XRSession, space: XRReferenceSpace, compositor: Compositor): void {
  // Runs once per display refresh, called by the XR session (headset or emulator).
  const onXRFrame: XRFrameRequestCallback = (time, frame) => {
    session.requestAnimationFrame(onXRFrame);
    const started = performance.now();
    try {
      presentFrame(frame, space, compositor);
    } catch (e) {
      compositor.internalErrors += 1;
      compositor.lastInternalError = e instanceof Error ? e.message : String(e);
      console.error('[steadfast] frame failed outside any layer', e);
    }
    compositor.clock.record(started, performance.now() - started);
  };
  session.requestAnimationFrame(onXRFrame);
}

function presentFrame(frame: XRFrame, space: XRReferenceSpace, compositor: Compositor): void {
  const glLayer = frame.session.renderState.baseLayer;
  const pose = frame.getViewerPose(space);
  if (!glLayer || !pose) return;
  const now = performance.now();
  const views = pose.views.map(toWireView);

  for (const layer of compositor.layers()) {
    guarded(compositor, layer, () => {
      takeDelivered(compositor, layer);
      requestNext(compositor, layer, views, now);
    });
  }

  const gl = compositor.gl;
  gl.bindFramebuffer(gl.FRAMEBUFFER, glLayer.framebuffer);
  gl.disable(gl.SCISSOR_TEST);
  gl.clearColor(...CLEAR_COLOR);
  gl.clear(gl.COLOR_BUFFER_BIT);
  compositor.blitter.begin();
  pose.views.forEach((view, index) => {
    const viewport = glLayer.getViewport(view);
    if (!viewport) return;
    gl.viewport(viewport.x, viewport.y, viewport.width, viewport.height);
    for (const layer of compositor.layers()) {
      if (isComposited(layer.state)) guarded(compositor, layer, () => drawLayer(compositor, layer, index));
    }
  });
  compositor.frames += 1;
}

/** Step 3: upload the newest delivered frame, if there is one; that is fresh content this frame. */
function takeDelivered(compositor: Compositor, layer: Layer): void {
  const delivered = layer.takeDelivered();
  if (!delivered) return;
  compositor.textures.upload(layer.id, delivered.bitmap);
  layer.shownViews = delivered.views;
  layer.presented += 1;
}

/** Step 4: one request in flight per guest; a busy guest is simply not asked again yet. */
function requestNext(compositor: Compositor, layer: Layer, views: WireView[], now: number): void {
  if (!layer.host || !layer.started || !wantsFrames(layer.state) || layer.inFlight !== null) return;
  const frameId = compositor.nextFrameId++;
  layer.inFlight = frameId;
  layer.host.requestFrame({ type: 'frame-request', frameId, time: now, views: surfaceViews(views, layer.surface) });
}

/** Step 5: draw the part of the layer's surface that holds view `index` into the current viewport. */
function drawLayer(compositor: Compositor, layer: Layer, index: number): void {
  const texture = compositor.textures.get(layer.id);
  const src = layer.shownViews?.[index]?.viewport;
  if (!texture || !src) return;
  compositor.blitter.draw(texture.texture, src, texture.width, texture.height);
}

function guarded(compositor: Compositor, layer: Layer, work: () => void): void {
  try {
    work();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    compositor.fail(layer, { phase: 'composite', message, stack: e instanceof Error ? e.stack : undefined });
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

/** Splits a guest surface side by side among the views. */
export function surfaceViews(views: readonly WireView[], surface: { width: number; height: number }): WireView[] {
  const n = views.length;
  return views.map((view, i) => {
    const x = Math.floor((i * surface.width) / n);
    const right = Math.floor(((i + 1) * surface.width) / n);
    return { ...view, viewport: { x, y: 0, width: right - x, height: surface.height } };
  });
}
