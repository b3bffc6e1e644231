// One presented frame, read back: its pixels and the poses behind them. For tests and the bench
// (timewarp accuracy is judged against the exact views of the frame the pixels came from).
import { DEFAULT_LAYER, type LayerDeclaration, type Viewport, type WireView } from '../shared/protocol';
import type { Layer } from './layer';
import type { PoseSample } from './timewarp/prediction';

/** What one frame presents: the head pose, its time, and each eye's view. */
export interface PresentedFrame {
  head: PoseSample;
  views: WireView[];
  viewports: Viewport[];
}

export interface CapturedView {
  eye: WireView['eye'];
  projectionMatrix: number[];
  viewMatrix: number[];
  viewport: Viewport;
}

/** A rectangle of the drawing buffer, GL window coordinates (origin bottom-left). */
export interface CaptureRegion { x: number; y: number; width: number; height: number }

export interface Capture {
  /** The rectangle read (the whole drawing buffer unless a region was asked for); `pixels` is RGBA, rows bottom to top. */
  x: number;
  y: number;
  width: number;
  height: number;
  pixels: Uint8Array;
  /** The pose time of this frame, ms, and each eye's view with its viewport on the canvas. */
  poseTime: number;
  views: CapturedView[];
  layers: {
    id: number;
    declaration: LayerDeclaration;
    /** The views the layer's frame on screen was rendered for (null before its first frame). */
    renderedViews: CapturedView[] | null;
    /** How far ahead of its request's pose that frame was predicted, and how old that pose is now, ms. */
    predictedMs: number | null;
    poseAgeMs: number | null;
  }[];
}

const plain = (view: WireView, viewport: Viewport): CapturedView => ({
  eye: view.eye,
  projectionMatrix: Array.from(view.projectionMatrix),
  viewMatrix: Array.from(view.viewMatrix),
  viewport: { ...viewport },
});

/** Reads the bound framebuffer (or `region` of it, clipped to it) right after a frame was composited. */
export function captureFrame(gl: WebGL2RenderingContext, frame: PresentedFrame, layers: readonly Layer[], region?: CaptureRegion): Capture {
  const bufferWidth = gl.drawingBufferWidth;
  const bufferHeight = gl.drawingBufferHeight;
  const x = Math.max(0, Math.min(bufferWidth, Math.floor(region?.x ?? 0)));
  const y = Math.max(0, Math.min(bufferHeight, Math.floor(region?.y ?? 0)));
  const width = Math.max(0, Math.min(bufferWidth - x, Math.floor(region?.width ?? bufferWidth)));
  const height = Math.max(0, Math.min(bufferHeight - y, Math.floor(region?.height ?? bufferHeight)));
  const pixels = new Uint8Array(width * height * 4);
  if (width > 0 && height > 0) gl.readPixels(x, y, width, height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
  return {
    x,
    y,
    width,
    height,
    pixels,
    poseTime: frame.head.t,
    views: frame.views.map((view, i) => plain(view, frame.viewports[i] ?? { x: 0, y: 0, width: 0, height: 0 })),
    layers: layers.map(({ id, run }) => ({
      id,
      declaration: structuredClone(run?.declaration ?? DEFAULT_LAYER),
      renderedViews: run?.shownViews?.map((view) => plain(view, view.viewport)) ?? null,
      predictedMs: run?.shownPose?.aheadMs ?? null,
      poseAgeMs: run?.shownPose ? frame.head.t - run.shownPose.poseTime : null,
    })),
  };
}

/** Captures asked for, answered at the end of the next presented frame. */
export class CaptureQueue {
  private waiting: { region: CaptureRegion | undefined; resolve: (capture: Capture) => void; reject: (error: unknown) => void }[] = [];

  /** The pixels (all, or `region`) and poses of the next presented frame. */
  ask(region?: CaptureRegion): Promise<Capture> {
    return new Promise((resolve, reject) => this.waiting.push({ region, resolve, reject }));
  }

  /** Answers every waiting capture; runs at the end of a presented frame, its pose and viewports still bound. */
  answer(gl: WebGL2RenderingContext, frame: PresentedFrame, layers: () => readonly Layer[]): void {
    if (this.waiting.length === 0) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const { region, resolve, reject } of waiting) {
      try {
        resolve(captureFrame(gl, frame, layers(), region));
      } catch (e) {
        reject(e);
      }
    }
  }
}
