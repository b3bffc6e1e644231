// The heads-up display on the desktop: a DOM panel over the view. Per layer: URL, type, state,
// frame rate (with a sparkline of the last 15 s), age of the rendered pose at composite, misses,
// restarts, version, vetting and error, and its actions (reload, undo, redo, retry, unload). Above
// them, a plot of the compositor's last 300 frame times; below, a box to load a guest by URL, the
// chaos button, trace export and the keyboard shortcuts. It reads stats() a few times a second;
// guest-supplied text is set with textContent, never as HTML. Elements are kept per layer and
// updated in place, so a button never vanishes under the pointer.
import type { CompositorStats, LayerStats } from './stats';
import { ordinal } from './policy/pacer';
import { EDIT_SHORTCUTS } from './live-edit/shortcuts';
import { previewLabelText } from './live-edit/preview-label';
import { describePhases } from './live-edit/reload-phases';
import { RateHistory, drawFramePlot, drawSparkline } from './hud-graphics';
import { holdsFocus } from './layer-state';

/** What the HUD's controls do. */
export interface HudActions {
  retry(id: number): void;
  undo(id: number): void;
  redo(id: number): void;
  reload(id: number): void;
  unload(id: number): void;
  /** Loads a guest by URL; throws with the reason if it cannot. */
  load(url: string): void;
  /** Loads the hostile gallery beside what is running. */
  chaos(): void;
  exportTrace(): void;
  /** The compositor's recent frame intervals and work, ms, oldest first. */
  recentFrames(): { interval: number[]; work: number[] };
  /** Gives a layer's guest input focus. */
  focus(id: number): void;
  /** The user is typing in the HUD (its URL box has the keys): every guest is blurred meanwhile. */
  typing(active: boolean): void;
}

export const HUD_SHORTCUTS = `${EDIT_SHORTCUTS} · Alt+T export trace · Alt+H hide HUD · emulator: click to look (Esc releases), WASD move, Q/E down/up, Shift faster, V stereo/mono; right controller: mouse aims, F trigger, G squeeze, arrows thumbstick; left controller: R trigger, T squeeze`;

const REFRESH_MS = 250;

interface LayerRow {
  root: HTMLLIElement;
  state: HTMLElement;
  /** Shown on the row of the layer whose guest has input focus. */
  focused: HTMLElement;
  url: HTMLElement;
  type: HTMLElement;
  figures: HTMLElement;
  spark: HTMLCanvasElement;
  vetting: HTMLElement;
  reason: HTMLElement;
  error: HTMLElement;
  buttons: Record<'focus' | 'reload' | 'undo' | 'redo' | 'retry' | 'unload', HTMLButtonElement>;
  /** Frame rates sampled at each refresh, for the sparkline. */
  rates: RateHistory;
}

export function mountHud(root: HTMLElement, read: () => CompositorStats, notes: readonly string[], actions: HudActions): () => void {
  root.replaceChildren();
  const header = el('div', 'hud-header');
  const plot = el('canvas', 'hud-plot');
  plot.width = 300;
  plot.height = 40;
  plot.title = 'compositor frame times, last 300 frames (bar: interval; dark: main-thread work; line: 16.7 ms)';
  const list = el('ol', 'hud-layers');
  const noteList = el('ul', 'hud-notes');
  for (const note of notes) noteList.append(el('li', '', note));
  const form = el('form', 'hud-load');
  const input = el('input', 'hud-load-url');
  input.type = 'text';
  input.placeholder = 'guest module URL';
  input.setAttribute('aria-label', 'guest module URL');
  const loadButton = el('button', 'hud-load-button', 'load');
  loadButton.type = 'submit';
  const message = el('span', 'hud-load-message');
  form.append(input, loadButton, message);
  // Runs when the URL box gains or loses the keyboard: guests are blurred while the user types
  // (the WebXR spec's trusted-UI rule: head pose can leak typed keys).
  input.addEventListener('focus', () => actions.typing(true));
  input.addEventListener('blur', () => actions.typing(false));
  // Runs when the user submits a URL: load it as a new layer, or say why not.
  form.onsubmit = (e) => {
    e.preventDefault();
    const url = input.value.trim();
    if (!url) return;
    try {
      actions.load(url);
      message.textContent = '';
      input.value = '';
    } catch (err) {
      message.textContent = err instanceof Error ? err.message : String(err);
    }
  };
  const tools = el('div', 'hud-tools');
  tools.append(button('chaos: load the hostile gallery', 'hud-chaos', () => actions.chaos()), button('export trace', 'hud-trace', () => actions.exportTrace()));
  const keys = el('div', 'hud-keys', `keys: ${HUD_SHORTCUTS}`);
  root.append(header, plot, list, noteList, form, tools, keys);

  const rows = new Map<number, LayerRow>();
  // Runs a few times a second: update the HUD from a fresh stats() snapshot.
  const refresh = () => {
    const stats = read();
    const warp = stats.timewarp.enabled ? `timewarp on (${stats.timewarp.fallback}${stats.timewarp.prediction ? ', predicted' : ''})` : 'timewarp off';
    const pointing = stats.pointedLayer !== null ? ` · pointing at layer ${stats.pointedLayer}` : '';
    const output = stats.budget.outputScale < 1 ? ` · output ×${stats.budget.outputScale}` : '';
    const layersAt = stats.budget.bufferedLayers > 0 ? ` · ${stats.budget.bufferedLayers} layers at ×${stats.budget.composeScale.toFixed(2)}` : '';
    const pressure = stats.budget.pressure < 1 ? ` · guests pressed ×${stats.budget.pressure}` : '';
    header.textContent = `${stats.session} · ${stats.fps.toFixed(0)} fps · ${stats.frameMs.toFixed(2)} ms/frame (own ${stats.budget.ownMs.toFixed(1)} ms)${output}${layersAt}${pressure} · ${stats.frames} frames · ${warp}${pointing}`;
    const g = plot.getContext('2d');
    if (g) {
      g.clearRect(0, 0, plot.width, plot.height);
      drawFramePlot(g, actions.recentFrames(), { x: 0, y: 0, width: plot.width, height: plot.height });
    }
    const now = performance.now();
    const seen = new Set<number>();
    stats.layers.forEach((layer, index) => {
      seen.add(layer.id);
      let row = rows.get(layer.id);
      if (!row) {
        row = layerRow(layer.id, actions);
        rows.set(layer.id, row);
      }
      if (list.children[index] !== row.root) list.insertBefore(row.root, list.children[index] ?? null);
      updateRow(row, layer, stats.focused === layer.id, now);
    });
    for (const [id, row] of rows) {
      if (!seen.has(id)) {
        row.root.remove();
        rows.delete(id);
      }
    }
  };
  refresh();
  const timer = setInterval(refresh, REFRESH_MS);
  return () => clearInterval(timer);
}

function layerRow(id: number, actions: HudActions): LayerRow {
  const root = el('li', 'hud-layer');
  root.dataset.layerId = String(id);
  const row: LayerRow = {
    root,
    state: el('span', 'hud-state'),
    focused: el('span', 'hud-focused', 'focused'),
    url: el('span', 'hud-url'),
    type: el('span', 'hud-type'),
    figures: el('span', 'hud-counts'),
    spark: el('canvas', 'hud-spark'),
    vetting: el('div', 'hud-vetting'),
    reason: el('div', 'hud-reason'),
    error: el('div', 'hud-error'),
    buttons: {
      focus: button('focus', 'hud-focus', () => actions.focus(id)),
      reload: button('reload', 'hud-reload', () => actions.reload(id)),
      undo: button('undo', 'hud-undo', () => actions.undo(id)),
      redo: button('redo', 'hud-redo', () => actions.redo(id)),
      retry: button('retry', 'hud-retry', () => actions.retry(id)),
      unload: button('unload', 'hud-unload', () => actions.unload(id)),
    },
    rates: new RateHistory(),
  };
  row.spark.width = 60;
  row.spark.height = 14;
  row.spark.title = 'fresh frames per second, last 15 s';
  const buttons = el('span', 'hud-actions');
  buttons.append(...Object.values(row.buttons));
  root.append(row.state, row.focused, row.url, row.type, row.figures, row.spark, buttons, row.vetting, row.reason, row.error);
  return row;
}

function updateRow(row: LayerRow, layer: LayerStats, focused: boolean, now: number): void {
  row.rates.sample(layer.presented, now);
  const fps = row.rates.latest;
  row.root.className = `hud-layer state-${layer.state}${focused ? ' focused' : ''}`;
  row.root.title = layer.url;
  row.state.textContent = layer.state;
  row.focused.hidden = !focused;
  row.url.textContent = shortUrl(layer.url);
  const d = layer.declaration;
  row.type.textContent = d.type + (d.type === 'projection' && d.depth ? ' + depth' : '') + (layer.frozen ? ' · frozen' : '');
  const age = layer.poseAgeMs !== undefined ? ` · pose ${layer.poseAgeMs.toFixed(0)} ms old` : '';
  const pace = layer.pacing > 1 ? ` · every ${ordinal(layer.pacing)} frame` : '';
  const version = layer.version > 0 ? ` · v${layer.version}/${layer.versions}` : '';
  const scale = layer.scale < 1 ? ` · scale ${layer.scale}` : '';
  row.figures.textContent = `${fps.toFixed(0)} fps${age}${scale} · missed ${layer.missed} · restarts ${layer.restarts}${version}${pace}`;
  const spark = row.spark.getContext('2d');
  if (spark) {
    spark.clearRect(0, 0, row.spark.width, row.spark.height);
    drawSparkline(spark, row.rates.values, { x: 0, y: 0, width: row.spark.width, height: row.spark.height });
  }
  const vetting = layer.reload.vetting;
  const last = layer.reload.last;
  const reloaded = last?.outcome === 'passed' && last.phases ? `last reload ${describePhases(last.phases)}` : '';
  row.vetting.textContent = vetting ? `vetting ${previewLabelText(vetting)} (preview bottom right)` : reloaded;
  row.vetting.hidden = !vetting && !reloaded;
  row.reason.textContent = layer.stateReason ?? '';
  row.reason.hidden = !layer.stateReason;
  row.error.textContent = layer.error ?? '';
  row.error.hidden = !layer.error;
  row.buttons.retry.hidden = !(layer.state === 'quarantined' || layer.state === 'failed');
  row.buttons.undo.hidden = !(layer.version > 1);
  row.buttons.redo.hidden = !(layer.version > 0 && layer.version < layer.versions);
  row.buttons.reload.hidden = layer.state === 'closed';
  row.buttons.focus.hidden = focused || !holdsFocus(layer.state);
}

function button(label: string, className: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', `hud-button ${className}`, label);
  b.type = 'button';
  // Runs when the user presses this control in the HUD.
  b.onclick = onClick;
  return b;
}

function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.origin === location.origin ? u.pathname + u.search : u.host + u.pathname;
  } catch {
    return url;
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
