// The runtime's per-frame caps on guest GPU work, on a stand-in WebGL2 prototype: counted per
// frame, enforced through the prototype too, not removable, and multi-draw not offered.
import { beforeAll, describe, expect, it } from 'vitest';
import { GpuBudgetError, installGpuCaps, resetGpuCaps } from '../../guest-runtime/gpu-caps';
import { MAX_DRAWS_PER_FRAME, MAX_VERTICES_PER_FRAME } from '../../shared/limits';

/** Records the draws that reached it (after the caps), with their arguments. */
class FakeGL {
  drawn = 0;
  last: number[] = [];
  drawArrays(mode: number, first: number, count: number): void {
    this.drawn += 1;
    this.last = [mode, first, count];
  }
  drawElementsInstanced(mode: number, count: number, type: number, offset: number, instances: number): void {
    this.drawn += 1;
    this.last = [mode, count, type, offset, instances];
  }
  getExtension(name: string): object | null {
    return { name };
  }
}

describe('GPU caps per frame', () => {
  beforeAll(() => {
    (globalThis as Record<string, unknown>).WebGL2RenderingContext = FakeGL;
    installGpuCaps();
  });

  it('lets a frame draw up to the cap, and fails the draw past it', () => {
    const gl = new FakeGL();
    resetGpuCaps();
    for (let i = 0; i < MAX_DRAWS_PER_FRAME; i++) gl.drawArrays(4, 0, 3);
    expect(gl.drawn).toBe(MAX_DRAWS_PER_FRAME);
    expect(gl.last).toEqual([4, 0, 3]); // passed through as given
    expect(() => gl.drawArrays(4, 0, 3)).toThrow(GpuBudgetError);
    resetGpuCaps(); // the next frame starts afresh
    expect(() => gl.drawArrays(4, 0, 3)).not.toThrow();
  });

  it('counts vertices times instances', () => {
    const gl = new FakeGL();
    resetGpuCaps();
    expect(() => gl.drawElementsInstanced(4, MAX_VERTICES_PER_FRAME / 10, 0x1403, 0, 11)).toThrow(/vertices drawn in one frame/);
  });

  it('cannot be reached around or undone by guest code', () => {
    const gl = new FakeGL();
    resetGpuCaps();
    for (let i = 0; i < MAX_DRAWS_PER_FRAME; i++) FakeGL.prototype.drawArrays.call(gl, 4, 0, 3);
    expect(() => FakeGL.prototype.drawArrays.call(gl, 4, 0, 3)).toThrow(GpuBudgetError);
    expect(() => {
      'use strict';
      (FakeGL.prototype as { drawArrays: unknown }).drawArrays = () => {};
    }).toThrow(TypeError);
    expect(() => Object.defineProperty(FakeGL.prototype, 'drawArrays', { value: () => {} })).toThrow(TypeError);
  });

  it('does not offer the multi-draw extensions', () => {
    const gl = new FakeGL();
    expect(gl.getExtension('WEBGL_multi_draw')).toBeNull();
    expect(gl.getExtension('EXT_color_buffer_float')).toEqual({ name: 'EXT_color_buffer_float' });
  });
});
