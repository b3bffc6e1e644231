// At what resolution the layers are composited. Each layer is a pass over the pixels it covers,
// and on a GPU that shades in software that is most of the machine: measured here (2 cores,
// SwiftShader), about 20 ns of the GPU process's CPU per layer pixel, every projection layer a
// full-eye pass, whatever its guest's own scale. When every layer was rendered far below the
// output's resolution (the guests' dynamic resolution put them at 1/8 of their surface, say),
// drawing them at the output's resolution shades many pixels per texel and adds nothing but
// cost. So the layers are composited into a buffer at the finest resolution any of them has
// (their density: texels per output pixel, per side), which is then drawn once over the output,
// upsampled (the HUD and the controller's beam stay at the output's resolution). Worth it only
// when the buffer's pixels and its resolve pass cost clearly less than the layers at full size,
// and a layer finer than the rest (a text panel) is drawn straight between buffered runs.
// Pure: footprints in, a plan out.

/** One composited layer in one eye: its density (texels per output pixel, the finer side) and the share of the eye it covers (0..1). */
export interface LayerFootprint {
  density: number;
  area: number;
}

/** The buffer's scale moves in steps of this (so a guest's small scale change does not resize it every frame). */
export const COMPOSE_STEP = 1 / 16;
/** Never coarser than this, whatever the layers' densities. */
export const MIN_COMPOSE_SCALE = 2 / 16;
/**
 * The buffer is taken up only when the plan's predicted pixels are under this share of drawing
 * every layer straight (and kept while under COMPOSE_GAIN + COMPOSE_HYSTERESIS, so a guest
 * hovering at the line does not flip the picture between sharper and softer every frame). The
 * prediction is cautious: on the default demos at output ×0.5 (cubes and particles buffered at
 * ×0.25, the info panel and grab straight) it predicts 0.73 of the layers' cost; measured, with
 * every guest frozen, 10.8 against 16.0 ms of the GPU process's CPU a frame (0.68; 16.2 against
 * 21.6 ms in all).
 */
export const COMPOSE_GAIN = 0.85;
export const COMPOSE_HYSTERESIS = 0.05;

/** A run of consecutive layers [start, end) drawn the same way: at `scale` of the output in the layer buffer, or straight into the output (scale 1). */
export interface ComposeSegment {
  start: number;
  end: number;
  scale: number;
}

/** The buffer's scale for layers of this density: the next step up, never under the floor. */
function bufferScale(density: number): number {
  return Math.max(MIN_COMPOSE_SCALE, Math.ceil(density / COMPOSE_STEP - 1e-9) * COMPOSE_STEP);
}

/**
 * How to composite the layers (footprints in compositing order): as consecutive runs, each
 * straight into the output or through the buffer at its finest layer's scale, whichever costs
 * least in pixels shaded (a buffered run: its layers and its clear at the buffer's scale, plus one
 * full-eye resolve; a straight one: its layers). A panel finer than the layers around it splits
 * the runs instead of making every layer fine. The buffer is used only when the whole plan costs
 * under COMPOSE_GAIN of drawing every layer straight (`buffering`: the last frame's plan used the
 * buffer, which it keeps up to COMPOSE_GAIN + COMPOSE_HYSTERESIS); `adaptive` false (page URL
 * adapt=0) always draws straight.
 */
export function composePlan(layers: readonly LayerFootprint[], adaptive: boolean, buffering = false): ComposeSegment[] {
  const n = layers.length;
  const straight: ComposeSegment[] = n > 0 ? [{ start: 0, end: n, scale: 1 }] : [];
  if (!adaptive || n < 2) return straight;
  for (const layer of layers) if (!(layer.density >= 0) || !(layer.area >= 0)) return straight; // NaN or negative: cannot tell
  const area = layers.map((layer) => Math.min(1, layer.area));
  // best[i]: the cheapest plan for layers [0, i), ending with run from[i] at scale of[i].
  const best = [0];
  const from = [0];
  const of = [1];
  for (let end = 1; end <= n; end++) {
    best[end] = Infinity;
    let sum = 0;
    let density = 0;
    for (let start = end - 1; start >= 0; start--) {
      sum += area[start]!;
      density = Math.max(density, layers[start]!.density);
      const scale = bufferScale(density);
      const buffered = scale < 1 ? scale * scale * (sum + 1) + 1 : Infinity;
      const cost = best[start]! + Math.min(sum, buffered);
      if (cost < best[end]!) {
        best[end] = cost;
        from[end] = start;
        of[end] = buffered < sum ? scale : 1;
      }
    }
  }
  const total = area.reduce((a, b) => a + b, 0);
  if (!(best[n]! < (buffering ? COMPOSE_GAIN + COMPOSE_HYSTERESIS : COMPOSE_GAIN) * total)) return straight;
  const plan: ComposeSegment[] = [];
  for (let end = n; end > 0; end = from[end]!) {
    const segment = { start: from[end]!, end, scale: of[end]! };
    const next = plan[0];
    // Neighbouring straight runs are one run.
    if (next && next.scale === 1 && segment.scale === 1) next.start = segment.start;
    else plan.unshift(segment);
  }
  return plan;
}
