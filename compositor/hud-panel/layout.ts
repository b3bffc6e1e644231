// What the in-headset HUD panel shows and where its buttons are, from a stats() snapshot. Pure:
// text lines and button rectangles in panel pixels, and the hit test that maps a point on the
// panel to a button. hud-panel.ts draws it and feeds it the controller's ray.
import type { CompositorStats } from '../stats';
import { previewLabelText } from '../live-edit/preview-label';
import { holdsFocus } from '../layer-state';

export const PANEL_PIXELS = { width: 640, height: 400 } as const;
const LINE = 22;
const TOP = 40;
const BUTTON_W = 64;
const BUTTON_H = 18;

/** Per layer: focus, retry … unload. For the page (layer 0): load a guest (its `url`), or chaos. */
export type PanelAction = 'focus' | 'retry' | 'reload' | 'undo' | 'redo' | 'unload' | 'load' | 'chaos';

export interface PanelButton {
  /** The layer it acts on; 0 for the page's own buttons (load, chaos). */
  layer: number;
  action: PanelAction;
  label: string;
  /** For 'load': the guest to load. */
  url?: string;
  /** Panel pixels, origin top-left. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PanelLine {
  text: string;
  y: number;
  colour: string;
  /** The layer a layer's heading line is for (its sparkline goes at the line's right end). */
  layer?: number | undefined;
}

export interface PanelLayout {
  lines: PanelLine[];
  buttons: PanelButton[];
}

const STATE_COLOUR: Record<string, string> = { running: '#6d6', loading: '#ccc', stale: '#ec6', dropped: '#ec6', restarting: '#ec6', failed: '#f66', quarantined: '#f66', closed: '#888' };

/** The loader row at the panel's foot: at most this many guests (a headset has no keyboard for a URL box). */
export const LOADER_SLOTS = 4;
const LOAD_W = 112;

/**
 * The panel for a stats() snapshot: a heading, a line and buttons per layer (as many as fit), and
 * at its foot the loader: a button per guest of `loadable` (URL, as given) and chaos.
 */
export function panelLayout(stats: CompositorStats, loadable: readonly string[] = []): PanelLayout {
  const lines: PanelLine[] = [{ text: `Steadfast · ${stats.fps.toFixed(0)} fps · ${stats.frameMs.toFixed(1)} ms · timewarp ${stats.timewarp.enabled ? 'on' : 'off'}`, y: 24, colour: '#e8f0ff' }];
  const buttons: PanelButton[] = [];
  let y = TOP;
  for (const layer of stats.layers) {
    if (y > PANEL_PIXELS.height - 3 * LINE) break;
    const name = layer.url.replace(/^.*\//, '').slice(0, 28);
    const version = layer.version > 0 ? ` v${layer.version}` : '';
    // Focus as stats() holds it (while the ray is on this panel every guest is blurred, the focused one too).
    const focused = stats.focused === layer.id;
    lines.push({ text: `${layer.id}. ${layer.state}  ${name}${version}  missed ${layer.missed} · restarts ${layer.restarts}${focused ? '  · focused' : ''}`, y: y + 14, colour: STATE_COLOUR[layer.state] ?? '#ccc', layer: layer.id });
    y += LINE;
    const actions: PanelAction[] = [];
    if (!focused && holdsFocus(layer.state)) actions.push('focus');
    if (layer.state === 'quarantined' || layer.state === 'failed') actions.push('retry');
    if (layer.version > 0) actions.push('reload');
    if (layer.version > 1) actions.push('undo');
    if (layer.version > 0 && layer.version < layer.versions) actions.push('redo');
    actions.push('unload');
    actions.forEach((action, i) => buttons.push({ layer: layer.id, action, label: action, x: 24 + i * (BUTTON_W + 8), y, width: BUTTON_W, height: BUTTON_H }));
    y += BUTTON_H + 4;
    if (layer.reload?.vetting) {
      lines.push({ text: `vetting ${previewLabelText(layer.reload.vetting)}`, y: y + 12, colour: '#9cf' });
      y += LINE - 4;
    }
    if (layer.error) {
      lines.push({ text: layer.error.slice(0, 80), y: y + 12, colour: '#f88' });
      y += LINE - 4;
    }
  }
  const foot = PANEL_PIXELS.height - BUTTON_H - 10;
  lines.push({ text: 'load', y: foot + 13, colour: '#9ab' });
  loadable.slice(0, LOADER_SLOTS).forEach((url, i) => {
    buttons.push({ layer: 0, action: 'load', url, label: url.replace(/^.*\//, '').replace(/\?.*$/, '').slice(0, 16), x: 56 + i * (LOAD_W + 8), y: foot, width: LOAD_W, height: BUTTON_H });
  });
  buttons.push({ layer: 0, action: 'chaos', label: 'chaos', x: PANEL_PIXELS.width - 16 - BUTTON_W, y: foot, width: BUTTON_W, height: BUTTON_H });
  return { lines, buttons };
}

/** Whether two buttons are the same one (a layer's action, or the page's, and the guest it loads). */
export function sameButton(a: PanelButton | null, b: PanelButton | null): boolean {
  return a === b || (!!a && !!b && a.layer === b.layer && a.action === b.action && a.url === b.url);
}

/** The button under panel pixel (x, y), if any. */
export function hitButton(layout: PanelLayout, x: number, y: number): PanelButton | null {
  return layout.buttons.find((b) => x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height) ?? null;
}
