// How a guest's bare specifiers resolve: three.js and its addons, the page's import map, and a
// clear message for anything else.
import { describe, expect, it } from 'vitest';
import { fromImportMap, parseImportMap, resolveBare } from '../../shared/bare-specifiers';
import { importSites, isBare, rewriteModule } from '../../shared/module-imports';

const context = { three: 'blob:http://x/three', addonsBase: 'http://app.test/@steadfast/three/examples/jsm/', revision: '187' };

describe('bare specifiers in guests', () => {
  it('resolves three to the runtime’s module and both addon paths to the served tree', () => {
    expect(resolveBare('three', 'http://g.test/a.js', context)).toEqual({ ok: true, url: 'blob:http://x/three' });
    expect(resolveBare('three/addons/geometries/BoxLineGeometry.js', 'http://g.test/a.js', context)).toEqual({ ok: true, url: 'http://app.test/@steadfast/three/examples/jsm/geometries/BoxLineGeometry.js' });
    expect(resolveBare('three/examples/jsm/webxr/XRControllerModelFactory.js', 'http://g.test/a.js', context)).toEqual({ ok: true, url: 'http://app.test/@steadfast/three/examples/jsm/webxr/XRControllerModelFactory.js' });
  });

  it('names an unknown specifier, its importer and what to do', () => {
    const r = resolveBare('lil-gui', 'http://g.test/a.js', context);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/"lil-gui" \(imported by http:\/\/g\.test\/a\.js\) does not resolve: .*three\.js r187.*imports=/);
    expect(resolveBare('three/webgpu', 'http://g.test/a.js', context).ok).toBe(false);
  });

  it('applies the page’s import map first: exact keys, then the longest prefix', () => {
    const imports = parseImportMap({ imports: { 'lil-gui': './vendor/lil-gui.js', 'pkg/': 'https://cdn.test/pkg@1/', 'pkg/sub/': 'https://cdn.test/other/' } }, 'http://app.test/maps/m.json');
    expect(imports['lil-gui']).toBe('http://app.test/maps/vendor/lil-gui.js');
    expect(fromImportMap('pkg/a.js', imports)).toBe('https://cdn.test/pkg@1/a.js');
    expect(fromImportMap('pkg/sub/b.js', imports)).toBe('https://cdn.test/other/b.js');
    expect(fromImportMap('nope', imports)).toBeNull();
    expect(resolveBare('lil-gui', 'http://g.test/a.js', { ...context, imports })).toEqual({ ok: true, url: 'http://app.test/maps/vendor/lil-gui.js' });
  });

  it('refuses an import map it cannot apply, saying why', () => {
    expect(() => parseImportMap([], 'http://m/')).toThrow(/not a JSON object/);
    expect(() => parseImportMap({ imports: {}, scopes: {} }, 'http://m/')).toThrow(/scopes/);
    expect(() => parseImportMap({ imports: { a: 3 } }, 'http://m/')).toThrow(/maps "a" to a number/);
    expect(() => parseImportMap({ imports: { 'a/': 'http://x/a' } }, 'http://m/')).toThrow(/both end in "\/"/);
    expect(() => parseImportMap({ imports: { a: 'data:text/javascript,1' } }, 'http://m/')).toThrow(/only http\(s\)/);
  });

  it('rewrites every import site, static and literal dynamic, keeping lines; tells bare from paths and URLs', () => {
    const source = "import * as THREE from 'three';\nimport { B } from \"./b.js\";\nconst m = import('three/addons/x.js');\nconsole.log(import.meta.url);\n";
    expect(importSites(source)).toEqual([
      { specifier: 'three', dynamic: false },
      { specifier: './b.js', dynamic: false },
      { specifier: 'three/addons/x.js', dynamic: true },
    ]);
    const out = rewriteModule(source, 'http://g.test/a.js', ({ specifier }) => `blob:${specifier}`);
    expect(out).toBe("import * as THREE from 'blob:three';\nimport { B } from \"blob:./b.js\";\nconst m = import(\"blob:three/addons/x.js\");\nconsole.log(({ url: \"http://g.test/a.js\" }).url);\n");
    expect(['three', 'three/addons/a.js', './a.js', '../a.js', '/a.js', 'http://x/a.js', 'blob:x'].map(isBare)).toEqual([true, true, false, false, false, false, false]);
  });
});
