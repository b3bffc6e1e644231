import { describe, expect, it } from 'vitest';
import { DEFAULT_GUESTS, parsePageParams } from '../../compositor/url-params';
import { DEFAULT_SURFACE } from '../../shared/limits';

describe('page URL parameters', () => {
  it('loads the default demo guests when no guest is given', () => {
    const p = parsePageParams('');
    expect(p.guests).toEqual([...DEFAULT_GUESTS]);
    expect(p.emulator).toBe(false);
    expect(p.surface).toEqual(DEFAULT_SURFACE);
    expect(p.hud).toBe(true);
  });

  it('takes repeated, URL-encoded guest parameters in order', () => {
    const a = 'https://example.org/scenes/a.js?x=1&y=2';
    const p = parsePageParams(`?guest=${encodeURIComponent(a)}&guest=demos%2Fcubes.js`);
    expect(p.guests).toEqual([a, 'demos/cubes.js']);
  });

  it('treats a bare or truthy emulator flag as on, 0/false as off', () => {
    expect(parsePageParams('?emulator').emulator).toBe(true);
    expect(parsePageParams('?emulator=1').emulator).toBe(true);
    expect(parsePageParams('?emulator=0').emulator).toBe(false);
    expect(parsePageParams('?emulator=false').emulator).toBe(false);
  });

  it('parses surface=WxH and warns (keeping the default) on a bad one', () => {
    expect(parsePageParams('?surface=256x128').surface).toEqual({ width: 256, height: 128 });
    const bad = parsePageParams('?surface=99999x1');
    expect(bad.surface).toEqual(DEFAULT_SURFACE);
    expect(bad.warnings[0]).toMatch(/surface=99999x1 ignored/);
  });

  it('buffers coarse layers unless compose=direct, and warns (keeping the default) on a bad value', () => {
    expect(parsePageParams('').bufferLayers).toBe(true);
    expect(parsePageParams('?compose=auto').bufferLayers).toBe(true);
    expect(parsePageParams('?compose=direct').bufferLayers).toBe(false);
    const bad = parsePageParams('?compose=fast');
    expect(bad.bufferLayers).toBe(true);
    expect(bad.warnings[0]).toMatch(/compose=fast ignored/);
  });

  it('hides the HUD only when asked', () => {
    expect(parsePageParams('?hud=0').hud).toBe(false);
    expect(parsePageParams('?hud=1').hud).toBe(true);
  });
});
