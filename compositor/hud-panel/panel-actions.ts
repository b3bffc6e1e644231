// What the in-headset HUD panel's buttons do, and what its loader row offers. (Chaos is shared
// with the desktop HUD's button; its guests are the page's to name: see chaosGuests.)
import * as v from 'valibot';
import type { Compositor } from '../compositor';
import type { PanelButton } from './layout';
import { DEFAULT_GUESTS } from '../url-params';

/** The id of the page's JSON block listing the chaos guests (written by tooling/chaos-list.ts). */
const CHAOS_LIST_ID = 'steadfast-chaos-guests';
const chaosListSchema = v.array(v.string());

/** The guests chaos loads, as the page lists them (none if it lists none, or lists them wrongly). */
export function chaosGuests(page: Document): string[] {
  try {
    const parsed = v.safeParse(chaosListSchema, JSON.parse(page.getElementById(CHAOS_LIST_ID)?.textContent ?? '[]'));
    return parsed.success ? parsed.output : [];
  } catch {
    return [];
  }
}

/** Acts on a pressed panel button: a layer's action, or the page's (load a guest, chaos). */
export function actOnButton(compositor: Compositor, button: PanelButton, chaos: readonly string[]): void {
  switch (button.action) {
    case 'focus':
      compositor.focus(button.layer);
      return;
    case 'retry':
      compositor.retry(button.layer);
      return;
    case 'reload':
      void compositor.editor.reload(button.layer);
      return;
    case 'undo':
      compositor.editor.undo(button.layer);
      return;
    case 'redo':
      compositor.editor.redo(button.layer);
      return;
    case 'unload':
      compositor.unload(button.layer);
      return;
    case 'load':
      if (button.url) compositor.load(button.url);
      return;
    case 'chaos':
      loadChaos(compositor, chaos);
      return;
    default: {
      const check: never = button.action;
      return check;
    }
  }
}

/** What the headset's loader row offers: the demo guests, then the page's own and those loaded since, each once. */
export function loadableGuests(compositor: Compositor, pageGuests: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const url of [...DEFAULT_GUESTS, ...pageGuests, ...[...compositor.layers()].map((l) => l.url)]) {
    const absolute = new URL(url, location.href).href;
    if (seen.has(absolute)) continue;
    seen.add(absolute);
    out.push(url);
  }
  return out;
}

/** Chaos: every hostile fixture of the gallery (as the page lists them), loaded beside what is running. */
export function loadChaos(compositor: Compositor, chaos: readonly string[]): void {
  for (const url of chaos) compositor.load(url);
}
