// Per frame: where the controller points (which panel layer, how far along its ray) and whether
// its trigger went down this frame: the one place a press is decided. A press on a panel layer
// selects it (the layer the edit shortcuts act on); the HUD panel, when the ray is on it, takes
// the press instead.
import type { LayerDeclaration } from '../../shared/protocol';
import { nearestHit } from './beam';
import { rayHitsPanel } from './panel-hit';
import type { PointerFrame, PointerRay, Ray } from './ray';

/** A layer the pointer may meet: its id and what it declared (quads and cylinders can be hit). */
export interface PanelTarget {
  id: number;
  declaration: LayerDeclaration;
}

/** The panel layer a ray meets first, and how far along it (metres); null if none. */
export function nearestPanel(ray: Ray, targets: Iterable<PanelTarget>): { id: number; t: number } | null {
  let best: { id: number; t: number } | null = null;
  for (const target of targets) {
    const hit = rayHitsPanel(target.declaration, ray);
    if (hit && (!best || hit.t < best.t)) best = { id: target.id, t: hit.t };
  }
  return best;
}

export class Pointing {
  /** The quad or cylinder layer the controller points at, if any (stats().pointedLayer). */
  pointedLayer: number | null = null;
  /** How far along the controller's ray that layer is met (metres), or null. */
  pointedAt: number | null = null;
  /** Whether the controller's trigger was held last frame (a press is the frame it goes down). */
  private triggerWas = false;

  /** This frame's pointer ray, and whether its trigger went down this frame. */
  read(ray: PointerRay | null): PointerFrame {
    const pressed = ray?.pressed ?? false;
    const clicked = pressed && !this.triggerWas;
    this.triggerWas = pressed;
    return { ray, clicked };
  }

  /**
   * Which panel layer the pointer meets this frame. Returns the layer a trigger press selected,
   * or null. `onHud`: the ray is on the HUD panel, which takes the press.
   */
  aim(pointer: PointerFrame, onHud: boolean, targets: Iterable<PanelTarget>): number | null {
    const best = pointer.ray && !onHud ? nearestPanel(pointer.ray, targets) : null;
    this.pointedLayer = best?.id ?? null;
    this.pointedAt = best?.t ?? null;
    return pointer.clicked && best ? best.id : null;
  }

  /** How far along a ray the nearest of the HUD panel (`hudT`) and the panel layers is, metres; null if none. */
  static reach(ray: Ray, hudT: number | null, targets: Iterable<PanelTarget>): number | null {
    return nearestHit(hudT, nearestPanel(ray, targets)?.t ?? null);
  }
}
