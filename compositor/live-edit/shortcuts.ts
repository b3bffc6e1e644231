// Keyboard shortcuts for live editing, on the layer most recently edited (or the first layer):
//   Alt+Z undo · Alt+Shift+Z or Alt+Y redo · Alt+R reload (fetch and vet the guest's file now).
import type { Compositor } from '../compositor';

export const EDIT_SHORTCUTS = 'Alt+Z undo · Alt+Shift+Z / Alt+Y redo · Alt+R reload';

export function attachEditShortcuts(target: Window, compositor: Compositor): () => void {
  const layerId = (): number | null => compositor.editor.lastEdited ?? compositor.layers().next().value?.id ?? null;
  // Runs on every key press: act on the shortcuts above, leave every other key alone.
  const onKey = (e: KeyboardEvent) => {
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    const id = layerId();
    if (id === null) return;
    const key = e.key.toLowerCase();
    if (key === 'z' && !e.shiftKey) compositor.editor.undo(id);
    else if ((key === 'z' && e.shiftKey) || key === 'y') compositor.editor.redo(id);
    else if (key === 'r') void compositor.editor.reload(id);
    else return;
    e.preventDefault();
  };
  target.addEventListener('keydown', onKey);
  return () => target.removeEventListener('keydown', onKey);
}
