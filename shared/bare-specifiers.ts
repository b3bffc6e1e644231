// Bare specifiers inside a guest: `import * as THREE from 'three'` and `three/addons/…` as three.js
// pages write them. Import maps do not apply inside workers, so the runtime resolves them itself,
// in the same rewrite that makes relative imports absolute (guest-runtime/module-graph.ts): 'three' is the
// runtime's own three.js (the instance ctx.THREE is, and the adapter uses), `three/addons/…` and
// `three/examples/jsm/…` are the same release's addon files served from the compositor's origin,
// and the page's import map (URL parameter `imports`), if any, names the rest. Pure.

/** An import map's `imports` (https://html.spec.whatwg.org/#import-maps), its values made absolute. */
export type Imports = Record<string, string>;

export interface BareContext {
  /** The blob: URL of the module that re-exports the runtime's three.js. */
  three: string;
  /** Where three's examples/jsm tree is served (absolute, ending in '/'). */
  addonsBase: string;
  /** The page's import map, if it has one. */
  imports?: Imports | undefined;
  /** three.js's revision, for the message on a specifier that does not resolve. */
  revision: string;
}

const ADDON_PREFIXES = ['three/addons/', 'three/examples/jsm/'];

/**
 * The global (a Symbol.for key) on which the runtime's script sets three.js's bundle as a string
 * (tooling/guest-bundles.ts), to be run only for a guest that uses three; the runtime takes it and
 * deletes it before any guest code runs (guest-runtime/three-loader.ts).
 */
export const THREE_LOADER = 'steadfast.loadThree';

/** Where three.js's addons (its examples/jsm tree) are served for guests, on the compositor's origin (tooling/three-addons.ts). */
export const THREE_ADDONS_PATH = '/@steadfast/three/examples/jsm';

/** Where the WebXR input profiles (the @webxr-input-profiles/assets package) are served, on the compositor's origin. */
export const INPUT_PROFILES_PATH = '/@steadfast/webxr-input-profiles/profiles';
/** Where three's XRControllerModelFactory fetches them by default (a CDN, unreachable offline and from some sandboxes). */
export const INPUT_PROFILES_CDN = 'https://cdn.jsdelivr.net/npm/@webxr-input-profiles/assets@1.0/dist/profiles';

/**
 * An addon's text as a guest gets it: three's own addons (under `addonsBase`) fetch controller
 * profiles from the compositor's origin instead of the CDN, so a ported page's controller models
 * load offline and in the sandbox (a guest may still set `factory.path` itself). Other modules as written.
 */
export function patchAddon(source: string, url: string, addonsBase: string): string {
  if (!url.startsWith(addonsBase) || !source.includes(INPUT_PROFILES_CDN)) return source;
  return source.split(INPUT_PROFILES_CDN).join(new URL(INPUT_PROFILES_PATH, addonsBase).href);
}

/** What a bare specifier resolves to, or why it does not. */
export function resolveBare(specifier: string, importer: string, c: BareContext): { ok: true; url: string } | { ok: false; message: string } {
  // The page's import map first (an author may point 'three' elsewhere on purpose: exact match, then the longest prefix).
  const mapped = c.imports ? fromImportMap(specifier, c.imports) : null;
  if (mapped !== null) return { ok: true, url: mapped };
  if (specifier === 'three') return { ok: true, url: c.three };
  for (const prefix of ADDON_PREFIXES) if (specifier.startsWith(prefix) && specifier.length > prefix.length) return { ok: true, url: new URL(specifier.slice(prefix.length), c.addonsBase).href };
  return {
    ok: false,
    message:
      `the bare specifier "${specifier}" (imported by ${importer}) does not resolve: a guest may import "three", "three/addons/…" and "three/examples/jsm/…" ` +
      `(three.js r${c.revision}) by name; import anything else by its URL, or name it in the page's import map (URL parameter imports=<url of a JSON import map>)`,
  };
}

/** An import map's answer for `specifier` (exact key, else the longest key ending in '/' that prefixes it), or null. */
export function fromImportMap(specifier: string, imports: Imports): string | null {
  if (Object.hasOwn(imports, specifier)) return imports[specifier]!;
  let best: string | null = null;
  for (const key of Object.keys(imports)) if (key.endsWith('/') && specifier.startsWith(key) && (best === null || key.length > best.length)) best = key;
  return best === null ? null : imports[best]! + specifier.slice(best.length);
}

/**
 * An import map's JSON, checked and made absolute against `mapUrl`: `{ "imports": { name: url } }`
 * (scopes are not supported: say so). Throws with a readable message.
 */
export function parseImportMap(json: unknown, mapUrl: string): Imports {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`the import map at ${mapUrl} is not a JSON object`);
  const { imports, scopes } = json as { imports?: unknown; scopes?: unknown };
  if (scopes !== undefined) throw new Error(`the import map at ${mapUrl} has "scopes", which guests do not support (only "imports")`);
  if (imports === null || typeof imports !== 'object' || Array.isArray(imports)) throw new Error(`the import map at ${mapUrl} has no "imports" object`);
  const out: Imports = {};
  for (const [key, value] of Object.entries(imports)) {
    if (typeof value !== 'string') throw new Error(`the import map at ${mapUrl} maps "${key}" to a ${typeof value}, not a URL`);
    let url: URL;
    try {
      url = new URL(value, mapUrl);
    } catch {
      throw new Error(`the import map at ${mapUrl} maps "${key}" to "${value}", which is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`the import map at ${mapUrl} maps "${key}" to ${url.href}: only http(s) URLs`);
    if (key.endsWith('/') !== url.href.endsWith('/')) throw new Error(`the import map at ${mapUrl} maps the prefix "${key}" to ${url.href}: a prefix key and its URL both end in "/"`);
    out[key] = url.href;
  }
  return out;
}
