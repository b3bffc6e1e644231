// Loading a guest module by URL and checking it against the contract.
// Pure of effects beyond the import itself, so each failure names its phase.
import type { GuestModule } from '../shared/guest-contract';
import { isJavaScriptMime } from '../shared/module-imports';
import { locateSyntaxError } from './syntax-location';
import { GuestLoadError } from './guest-load-error';
import type { ModuleGraph } from './module-graph';

export { GuestLoadError };

/** A SyntaxError located by acorn in `source`, or null. */
function syntaxErrorAt(source: string, url: string): GuestLoadError | null {
  const where = locateSyntaxError(source);
  return where ? new GuestLoadError(`SyntaxError: ${where.message} (${url} line ${where.line}, column ${where.column})`, where.line) : null;
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
  // A WebXR-shaped guest has no frame(): it starts its session in setup() and draws in its
  // session's animation frames (README "WebXR-shaped guests").
  if (typeof g.frame !== 'function' && typeof g.setup !== 'function') {
    throw new GuestLoadError('default export has no frame(ctx) function (nor a setup(ctx) that starts a WebXR session through ctx.session)');
  }
  for (const optional of ['frame', 'setup', 'snapshot', 'restore', 'visibilitychange'] as const) {
    if (g[optional] !== undefined && typeof g[optional] !== 'function') {
      throw new GuestLoadError(`default export's ${optional} is ${typeof g[optional]}, expected a function`);
    }
  }
  return guest as GuestModule;
}

/** Imports the module at `url` (absolute) and checks it; throws with a readable message. */
export async function importGuest(url: string): Promise<GuestModule> {
  let namespace: unknown;
  try {
    namespace = await import(/* @vite-ignore */ url);
  } catch (e) {
    // The browser says only "Failed to fetch dynamically imported module" for a 404, a wrong
    // MIME type and a CORS refusal alike; ask the server ourselves to say which.
    const cause = e instanceof TypeError ? await diagnoseFetch(url) : null;
    if (cause) throw new GuestLoadError(cause);
    if (e instanceof SyntaxError) {
      const source = await fetch(url, { mode: 'cors', credentials: 'omit' }).then((r) => r.text()).catch(() => null);
      const located = source === null ? null : syntaxErrorAt(source, url);
      if (located) throw located;
    }
    throw e;
  }
  return checkGuestModule(namespace);
}

/**
 * Imports a version of the guest from its source text, as if loaded from `url`, its module graph
 * loaded through `graph` (module-graph.ts: relative and bare imports resolved, each module run
 * from a blob: URL). Returns the module and the blob: URL it ran from (stack traces name it).
 */
export async function importGuestSource(url: string, source: string, graph: ModuleGraph): Promise<{ guest: GuestModule; ranFrom: string }> {
  const ranFrom = await graph.fromSource(url, source);
  let namespace: unknown;
  try {
    namespace = await import(/* @vite-ignore */ ranFrom);
  } catch (e) {
    if (e instanceof SyntaxError) throw syntaxErrorAt(source, url) ?? syntaxErrorInGraph(graph) ?? e;
    throw e;
  }
  return { guest: checkGuestModule(namespace), ranFrom };
}

/** A syntax error in one of the modules the guest imports, located there. */
function syntaxErrorInGraph(graph: ModuleGraph): GuestLoadError | null {
  for (const [url, source] of graph.sources) {
    const located = syntaxErrorAt(source, url);
    if (located) return located;
  }
  return null;
}

/** Why fetching `url` as a module script fails, or null when the fetch itself looks fine. */
export async function diagnoseFetch(url: string, fetcher: typeof fetch = fetch): Promise<string | null> {
  let response: Response;
  try {
    response = await fetcher(url, { mode: 'cors', credentials: 'omit', cache: 'no-store' });
  } catch {
    return `could not fetch ${url}: network error, or a cross-origin server that sends no Access-Control-Allow-Origin header`;
  }
  if (!response.ok) return `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} for ${url}`;
  const type = response.headers.get('content-type') ?? '(none)';
  if (!isJavaScriptMime(type)) return `${url} is served as ${type}, not as JavaScript`;
  return null;
}

/** One readable line (and the stack, if any) from anything thrown. */
export function describeThrown(e: unknown): { message: string; stack?: string } {
  if (e instanceof Error) {
    const message = `${e.name && e.name !== 'Error' && !(e instanceof GuestLoadError) ? `${e.name}: ` : ''}${e.message || '(no message)'}`;
    return e.stack ? { message, stack: e.stack } : { message };
  }
  if (e instanceof Event) return { message: `${e.type} event` };
  try {
    return { message: `non-Error thrown: ${String(e)}` };
  } catch {
    return { message: 'non-Error thrown (unprintable)' };
  }
}
