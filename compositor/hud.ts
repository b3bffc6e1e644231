// The heads-up display: one line per layer (state, counters, error) over the view.
// It only reads stats(); guest-supplied text is set with textContent, never as HTML.
import { ordinal, type CompositorStats, type LayerStats } from './stats';
import { EDIT_SHORTCUTS } from './live-edit/shortcuts';

/** What the HUD's per-layer buttons do. */
export interface HudActions {
  retry(id: number): void;
  undo(id: number): void;
  redo(id: number): void;
  reload(id: number): void;
}

const REFRESH_MS = 250;

export function mountHud(root: HTMLElement, read: () => CompositorStats, notes: readonly string[], actions: HudActions): () => void {
  root.replaceChildren();
  const header = el('div', 'hud-header');
  const list = el('ol', 'hud-layers');
  const noteList = el('ul', 'hud-notes');
  for (const note of notes) noteList.append(el('li', '', note));
  const keys = el('div', 'hud-keys', `keys: ${EDIT_SHORTCUTS} (latest edited layer)`);
  root.append(header, list, noteList, keys);

  // Runs a few times a second: redraw the HUD from a fresh stats() snapshot.
  const refresh = () => {
    const stats = read();
    const warp = stats.timewarp.enabled ? `timewarp on (${stats.timewarp.fallback}${stats.timewarp.prediction ? ', predicted' : ''})` : 'timewarp off';
    header.textContent = `${stats.session} · ${stats.fps.toFixed(0)} fps · ${stats.frameMs.toFixed(2)} ms/frame · ${stats.frames} frames · ${warp}`;
    list.replaceChildren(...stats.layers.map((layer) => layerLine(layer, actions)));
  };
  refresh();
  const timer = setInterval(refresh, REFRESH_MS);
  return () => clearInterval(timer);
}

function layerLine(layer: LayerStats, actions: HudActions): HTMLElement {
  const item = el('li', `hud-layer state-${layer.state}`);
  item.dataset.layerId = String(layer.id);
  item.append(
    el('span', 'hud-state', layer.state),
    el('span', 'hud-url', shortUrl(layer.url)),
    el('span', 'hud-type', layer.declaration.type + (layer.declaration.type === 'projection' && layer.declaration.depth ? ' + depth' : '') + (layer.frozen ? ' · frozen' : '')),
    el('span', 'hud-counts', `presented ${layer.presented} · missed ${layer.missed} · restarts ${layer.restarts} · ${layer.latencyMs.toFixed(0)} ms${layer.poseAgeMs !== undefined ? ` · pose ${layer.poseAgeMs.toFixed(0)} ms old` : ''}`),
  );
  if (layer.pacing > 1) item.append(el('span', 'hud-pacing', `every ${ordinal(layer.pacing)} frame`));
  if (layer.version > 0) item.append(el('span', 'hud-version', `v${layer.version}/${layer.versions}`));
  const vetting = layer.reload.vetting;
  if (vetting) {
    const what = vetting.revertTo !== undefined ? `version ${vetting.revertTo}` : 'new version';
    item.append(el('div', 'hud-vetting', `vetting ${what} (${vetting.trigger}): ${vetting.state}, ${vetting.frames}/${vetting.windowFrames} frames, ${vetting.fps.toFixed(0)} fps (preview bottom right)`));
  }
  if (layer.stateReason) item.append(el('div', 'hud-reason', layer.stateReason));
  if (layer.error) item.append(el('div', 'hud-error', layer.error));
  if (layer.state === 'quarantined' || layer.state === 'failed') item.append(button('retry', 'hud-retry', () => actions.retry(layer.id)));
  if (layer.version > 1) item.append(button('undo', 'hud-undo', () => actions.undo(layer.id)));
  if (layer.version > 0 && layer.version < layer.versions) item.append(button('redo', 'hud-redo', () => actions.redo(layer.id)));
  if (layer.version > 0) item.append(button('reload', 'hud-reload', () => actions.reload(layer.id)));
  item.title = layer.url;
  return item;
}

function button(label: string, className: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', className, label);
  // Runs when the user presses this layer action in the HUD.
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
