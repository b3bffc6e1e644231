// What a guest module's source imports, and the same source rewritten to run from a blob: URL as
// if loaded from its own URL (hot reload, undo and redo run a version's exact text: see
// guest-runtime/guest-loader.ts). es-module-lexer finds the import specifiers and `import.meta`;
// its asm.js build, because the guest frame's CSP allows no WebAssembly compilation. Rewriting
// keeps every line where it was, so line numbers in errors stay right.
import { parse } from 'es-module-lexer/js'; // the asm.js build: synchronous, needs no init

type Found = ReturnType<typeof parse>[0][number];

function lex(source: string): readonly Found[] | null {
  try {
    return parse(source)[0];
  } catch {
    return null; // not parseable: the caller imports it as it is and the engine says why
  }
}

const RELATIVE = /^\.{0,2}\//;

/** What browsers accept as a module script's MIME type (a Content-Type header value). */
export function isJavaScriptMime(contentType: string): boolean {
  return /^(text|application)\/(javascript|ecmascript|x-javascript)\b/i.test(contentType);
}

/** An import in a module's text: its specifier as written, and whether it is a literal dynamic import(). */
export interface ImportSite {
  specifier: string;
  dynamic: boolean;
}

/** The static imports and literal dynamic imports of `source` (null if it does not lex: the engine will say why). */
export function importSites(source: string): ImportSite[] | null {
  const imports = lex(source);
  if (!imports) return null;
  return imports.filter((f) => f.d !== -2 && f.n !== undefined).map((f) => ({ specifier: f.n!, dynamic: f.d > -1 }));
}

/** Whether a specifier is bare (a package name), not a URL or a path. */
export function isBare(specifier: string): boolean {
  if (RELATIVE.test(specifier)) return false;
  try {
    new URL(specifier);
    return false;
  } catch {
    return true;
  }
}

/**
 * The source, rewritten to run from a blob: URL as if from `url`: each import specifier replaced
 * by `replace(site)` (undefined: as written), `import.meta` → `({ url })`. Lines stay where they were.
 */
export function rewriteModule(source: string, url: string, replace: (site: ImportSite) => string | undefined): string {
  const imports = lex(source);
  if (!imports) return source;
  let out = '';
  let last = 0;
  for (const found of imports) {
    if (found.d === -2) {
      out += source.slice(last, found.ss) + `({ url: ${JSON.stringify(url)} })`;
      last = found.se;
      continue;
    }
    if (found.n === undefined) continue; // computed: as written
    const to = replace({ specifier: found.n, dynamic: found.d > -1 });
    if (to === undefined) continue;
    out += source.slice(last, found.s) + (found.d > -1 ? JSON.stringify(to) : to);
    last = found.e;
  }
  return out + source.slice(last);
}

/** The source, rewritten to run from a blob: URL as if from `url`: relative specifiers made absolute, `import.meta` → `({ url })`. */
export async function rewriteForBlob(source: string, url: string): Promise<string> {
  return Promise.resolve(rewriteModule(source, url, ({ specifier }) => (RELATIVE.test(specifier) ? new URL(specifier, url).href : undefined)));
}

/** Absolute URLs (without query) of the modules `source` imports statically or by literal dynamic import. */
export async function directImports(source: string, url: string): Promise<string[]> {
  const imports = lex(source);
  if (!imports) return [];
  const out = new Set<string>();
  for (const found of imports) {
    if (found.d === -2 || found.n === undefined) continue;
    try {
      const resolved = new URL(found.n, url);
      if (resolved.protocol === 'http:' || resolved.protocol === 'https:') out.add(resolved.origin + resolved.pathname);
    } catch {
      // a bare specifier: not a file we could watch
    }
  }
  return [...out];
}
