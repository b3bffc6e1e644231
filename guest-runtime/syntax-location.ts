// Where a module's source fails to parse: the engine's SyntaxError from a dynamic import names no
// line, so acorn (a small, well-kept ECMAScript parser) is asked, on the failure path only.
import { parse } from 'acorn';

export function locateSyntaxError(source: string): { line: number; column: number; message: string } | null {
  try {
    parse(source, { ecmaVersion: 'latest', sourceType: 'module' });
    return null;
  } catch (e) {
    const loc = (e as { loc?: { line: number; column: number } }).loc;
    if (!loc) return null;
    return { line: loc.line, column: loc.column + 1, message: (e as Error).message.replace(/\s*\(\d+:\d+\)$/, '') };
  }
}
