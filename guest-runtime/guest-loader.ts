// Loading a guest module by URL and checking it against the contract.
// Pure of effects beyond the import itself, so each failure names its phase.
import type { GuestModule } from '../shared/guest-contract';

export class GuestLoadError extends Error {
  override name = 'GuestLoadError';
}

/** Checks that a module namespace's default export fulfils the guest contract. */
export function checkGuestModule(namespace: unknown): GuestModule {
  if (namespace === null || typeof namespace !== 'object' || !('default' in namespace)) {
    throw new GuestLoadError('module has no default export (expected `export default { frame(ctx) { … } }`)');
  }
  const guest = (namespace as { default: unknown }).default;
  if (guest === null || typeof guest !== 'object') {
    throw new GuestLoadError(`default export is ${guest === null ? 'null' : typeof guest}, expected an object with frame(ctx)`);
  }
  const g = guest as Record<string, unknown>;
  if (typeof g.frame !== 'function') {
    throw new GuestLoadError('default export has no frame(ctx) function');
  }
  for (const optional of ['setup', 'snapshot'] as const) {
    if (g[optional] !== undefined && typeof g[optional] !== 'function') {
      throw new GuestLoadError(`default export's ${optional} is ${typeof g[optional]}, expected a function`);
    }
  }
  return guest as GuestModule;
}

/** Imports the module at `url` (absolute) and checks it; throws with a readable message. */
export async function importGuest(url: string): Promise<GuestModule> {
  const namespace: unknown = await import(/* @vite-ignore */ url);
  return checkGuestModule(namespace);
}

/** One readable line (and the stack, if any) from anything thrown. */
export function describeThrown(e: unknown): { message: string; stack?: string } {
  if (e instanceof Error) {
    const message = `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message || '(no message)'}`;
    return e.stack ? { message, stack: e.stack } : { message };
  }
  if (e instanceof Event) return { message: `${e.type} event` };
  try {
    return { message: `non-Error thrown: ${String(e)}` };
  } catch {
    return { message: 'non-Error thrown (unprintable)' };
  }
}
