// Step 5 of a frame, for input (frame-loop.ts calls it once per frame, after the pointer is read):
// which layers focus can rest on, the trigger presses that pick a layer (every controller's: on
// another layer's content a press moves focus there and is the compositor's; the pointer's press
// on the HUD panel is the panel's), and the frame's events routed to the focused guest.
import type { Layer } from '../layer';
import { holdsFocus, isComposited } from '../layer-state';
import type { FocusCandidate } from '../policy/focus';
import { BEAM_REACH, nearestHit } from '../pointer/beam';
import type { PointerFrame } from '../pointer/ray';
import type { GuestInput } from './input';
import { pickLayer, type PickTarget } from './pick';

/** The alpha (0..255) of layer `id`'s shown frame at surface pixel (x, y); null if unreadable. */
export type AlphaAt = (id: number, x: number, y: number) => number | null;

/**
 * Focus this frame (`layers` in draw order), the presses that move it, and the events routed.
 * `hudT`: where the pointer meets the HUD panel, or null; `pointedAt`: where it meets a panel layer.
 */
export function routeFrameInput(input: GuestInput, layers: readonly Layer[], pointer: PointerFrame, hudT: number | null, pointedAt: number | null, alphaAt: AlphaAt): void {
  input.beginFrame([...focusCandidates(layers)], hudT !== null);
  const events = input.takeEvents();
  const pointerSource = pointer.ray?.source ? input.sources.idOf(pointer.ray.source) : null;
  const taken = new Set<number>();
  for (const event of events) {
    if (event.type !== 'selectstart') continue;
    if (event.source === pointerSource && hudT !== null) {
      taken.add(event.source);
      continue;
    }
    const ray = input.sources.rayOf(event.source);
    if (!ray) continue;
    const reach = event.source === pointerSource ? (nearestHit(null, pointedAt) ?? BEAM_REACH) : BEAM_REACH;
    const picked = pickLayer(ray, reach, pickTargets([...layers].reverse(), alphaAt));
    if (input.press(picked)) taken.add(event.source);
  }
  input.route(events, taken);
}

/** The layers focus can rest on, in draw order. */
function* focusCandidates(layers: Iterable<Layer>): Iterable<FocusCandidate> {
  for (const layer of layers) yield { id: layer.id, live: holdsFocus(layer.state), running: layer.state === 'running' };
}

/** The composited layers a press may pick, in the order given (topmost first). */
function* pickTargets(layers: Iterable<Layer>, alphaAt: AlphaAt): Iterable<PickTarget> {
  for (const layer of layers) {
    const run = layer.liveRun;
    if (run && isComposited(layer.state)) yield { id: layer.id, declaration: run.declaration, views: run.shownViews, alphaAt: (x, y) => alphaAt(layer.id, x, y) };
  }
}
