// The HUD inside a headset: a quad layer the compositor draws itself (never a guest), world-locked
// in front of the wearer and to the left, on top of every layer. Its text is drawn on a 2-D canvas
// a few times a second; its buttons answer the controller: the button under its ray lights up, and
// a trigger press on a button acts on its layer (the ray and cursor are the pointer pass's).
import { mat4 } from 'gl-matrix';
import { rayHitsPanel } from '../pointer/panel-hit';
import type { PointerFrame, Ray } from '../pointer/ray';
import type { QuadLayerDeclaration, WireView } from '../../shared/protocol';
import type { CompositorStats } from '../stats';
import { quadClipFromPanel } from '../timewarp/layer-matrices';
import type { QuadPass } from '../gl/quad-pass';
import { uploadCanvas } from '../gl/canvas-texture';
import { RateHistory, drawFramePlot, drawSparkline } from '../hud-graphics';
import { PANEL_PIXELS, hitButton, panelLayout, sameButton, type PanelButton, type PanelLayout } from './layout';

const REDRAW_MS = 100;
const yaw = (25 * Math.PI) / 180;

/** Where the panel is: 1 m ahead, to the left, below eye height, turned to face the start position. */
export const PANEL_POSE: QuadLayerDeclaration = {
  type: 'quad',
  position: [-0.55, 1.3, -1.0],
  orientation: [0, Math.sin(yaw / 2), 0, Math.cos(yaw / 2)],
  width: 0.64,
  height: 0.4,
};

export class HudPanel {
  private readonly canvas = new OffscreenCanvas(PANEL_PIXELS.width, PANEL_PIXELS.height);
  private readonly g = this.canvas.getContext('2d')!;
  private texture: WebGLTexture | null = null;
  private layout: PanelLayout = { lines: [], buttons: [] };
  private drawnAt = -Infinity;
  /** How far along the pointer's ray it meets the panel (metres), or null. */
  hitT: number | null = null;
  /** The button under the pointer, if any. */
  hovered: PanelButton | null = null;
  /** Per layer: fresh frames per second at each redraw, for its sparkline. */
  private readonly rates = new Map<number, RateHistory>();
  private frames: { interval: number[]; work: number[] } = { interval: [], work: [] };

  constructor(
    private readonly gl: WebGL2RenderingContext,
    private readonly act: (button: PanelButton) => void,
    private readonly recentFrames: () => { interval: number[]; work: number[] } = () => ({ interval: [], work: [] }),
    /** The guests the loader row offers (a headset has no keyboard for a URL). */
    private readonly loadable: () => readonly string[] = () => [],
  ) {}

  /** Per frame: follow the pointer, act on a trigger press, and redraw the text when due. */
  update(stats: () => CompositorStats, now: number, pointer: PointerFrame): void {
    const at = pointer.ray ? this.hit(pointer.ray) : null;
    this.hitT = at?.t ?? null;
    const was = this.hovered;
    this.hovered = at ? hitButton(this.layout, at.x, at.y) : null;
    if (pointer.clicked && this.hovered) this.act(this.hovered);
    // The cursor is the pointer pass's (drawn in the world); the panel redraws for a new highlight.
    const highlight = !sameButton(was, this.hovered);
    if (now - this.drawnAt >= REDRAW_MS || highlight) {
      const s = stats();
      this.layout = panelLayout(s, this.loadable());
      this.sampleRates(s, now);
      this.frames = this.recentFrames();
      this.draw();
      this.drawnAt = now;
    }
  }

  /** Draws the panel into the current viewport for the eye seeing through `view`. */
  render(quad: QuadPass, view: WireView): void {
    if (this.texture) quad.draw(this.texture, quadClipFromPanel(PANEL_POSE, view, mat4.create()));
  }

  /** The panel pixel the ray meets (origin top-left), and how far along the ray (metres); or null. */
  hit(pointer: Ray): { x: number; y: number; t: number } | null {
    const at = rayHitsPanel(PANEL_POSE, pointer);
    return at ? { x: at.u * PANEL_PIXELS.width, y: at.v * PANEL_PIXELS.height, t: at.t } : null;
  }

  private sampleRates(stats: CompositorStats, now: number): void {
    const seen = new Set<number>();
    for (const layer of stats.layers) {
      seen.add(layer.id);
      let history = this.rates.get(layer.id);
      if (!history) this.rates.set(layer.id, (history = new RateHistory()));
      history.sample(layer.presented, now);
    }
    for (const id of this.rates.keys()) if (!seen.has(id)) this.rates.delete(id);
  }

  /** Buttons and the panel's pose, for tests and tools that aim at them. */
  describe(): { pose: QuadLayerDeclaration; pixels: typeof PANEL_PIXELS; buttons: PanelButton[]; hovered: PanelButton | null } {
    return { pose: PANEL_POSE, pixels: PANEL_PIXELS, buttons: this.layout.buttons.map((b) => ({ ...b })), hovered: this.hovered };
  }

  /** Forgets GL objects (after a context loss; the next draw makes them again). */
  reset(): void {
    this.texture = null;
  }

  private draw(): void {
    const g = this.g;
    const { width, height } = PANEL_PIXELS;
    g.clearRect(0, 0, width, height);
    g.fillStyle = 'rgba(10, 14, 24, 0.88)';
    g.fillRect(0, 0, width, height);
    g.strokeStyle = '#6cf';
    g.lineWidth = 3;
    g.strokeRect(1.5, 1.5, width - 3, height - 3);
    // The compositor's last 300 frame times, top right (bars: interval; dark: its own work; line: 16.7 ms).
    const plot = { x: width - 316, y: 8, width: 300, height: 24 };
    g.fillStyle = '#0008';
    g.fillRect(plot.x, plot.y, plot.width, plot.height);
    drawFramePlot(g, this.frames, plot);
    g.font = '15px system-ui, sans-serif';
    for (const line of this.layout.lines) {
      g.fillStyle = line.colour;
      g.fillText(line.text, 16, line.y, width - (line.layer !== undefined ? 100 : 32));
      const rates = line.layer !== undefined ? this.rates.get(line.layer)?.values : undefined;
      // Sparkline: fresh frames per second over the last 6 s, at the line's right end.
      if (rates && rates.length > 1) drawSparkline(g, rates, { x: width - 76, y: line.y - 16, width: 60, height: 15 }, 1.5);
    }
    g.font = '12px system-ui, sans-serif';
    for (const b of this.layout.buttons) {
      const hot = sameButton(b, this.hovered);
      g.fillStyle = hot ? '#5a9cff' : b.action === 'unload' ? '#555' : b.action === 'chaos' ? '#a33' : b.layer === 0 ? '#2a7a5a' : '#2d6cdf';
      g.fillRect(b.x, b.y, b.width, b.height);
      g.fillStyle = '#fff';
      g.fillText(b.label, b.x + 8, b.y + 13);
    }
    this.texture = uploadCanvas(this.gl, this.texture, this.canvas);
  }
}
