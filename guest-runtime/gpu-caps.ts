// Bounded GPU work per frame from guest code: the runtime caps draw calls and vertices a guest may
// submit between two frame requests, before any guest code runs. The caps are installed on the
// WebGL prototypes of the worker's realm (so a guest cannot reach around them with
// `WebGL2RenderingContext.prototype.drawArrays.call`), non-writable and non-configurable (so it
// cannot undo them), and cover every context the guest makes, not only the runtime's. The
// multi-draw extensions, which would draw many meshes in one call, are not offered.
//
// Every shader source a guest hands to WebGL has its loops bounded (guest-runtime/shader-loops.ts):
// one invocation runs at most MAX_SHADER_LOOP_ITERATIONS loop iterations, so one draw costs at
// most its pixels (or vertices) times that. The compositor's dynamic resolution bounds the pixels
// (a costly guest renders at 1/8 of its surface), and its runaway rule ends a guest whose frames
// still take too long.
import { MAX_DRAWS_PER_FRAME, MAX_SHADER_LOOP_ITERATIONS, MAX_VERTICES_PER_FRAME } from '../shared/limits';
import { boundShaderLoops } from './shader-loops';

/** A guest went over a per-frame cap: its frame fails (a crash, restarted by the compositor's policy). */
export class GpuBudgetError extends Error {}

let draws = 0;
let vertices = 0;

/** A new frame's caps start from zero. */
export function resetGpuCaps(): void {
  draws = 0;
  vertices = 0;
}

function charge(count: number, instances: number): void {
  draws += 1;
  vertices += Math.max(0, count) * Math.max(1, instances);
  if (draws > MAX_DRAWS_PER_FRAME) throw new GpuBudgetError(`more than ${MAX_DRAWS_PER_FRAME} draw calls in one frame`);
  if (vertices > MAX_VERTICES_PER_FRAME) throw new GpuBudgetError(`more than ${MAX_VERTICES_PER_FRAME} vertices drawn in one frame`);
}

const BLOCKED_EXTENSIONS = new Set(['webgl_multi_draw', 'webgl_multi_draw_instanced_base_vertex_base_instance', 'webgl_draw_instanced_base_vertex_base_instance']);

type Method = (...args: never[]) => unknown;

function lock(proto: object, name: string, make: (original: Method) => Method): void {
  const original = (proto as Record<string, unknown>)[name];
  if (typeof original !== 'function') return;
  Object.defineProperty(proto, name, { value: make(original as Method), writable: false, configurable: false, enumerable: true });
}

/** Locks `name` on `proto` so that `notice` runs before each call, then the original with the same arguments. */
function lockWithNotice(proto: object, name: string, notice: () => void): void {
  lock(proto, name, (f) => function (this: unknown, ...args: unknown[]) {
    notice();
    return (f as (this: unknown, ...a: unknown[]) => unknown).apply(this, args);
  } as Method);
}

/**
 * The calls that wait for the GPU process to answer (a query, a readback, a fence): while it is
 * busy (another guest's draws ahead in its one queue) each may block the guest's thread for a
 * while, and a start-up (three.js's renderer asks dozens of them) may then say nothing for seconds.
 */
const WAITING_CALLS = [
  'getParameter', 'getError', 'getShaderPrecisionFormat', 'getUniformLocation', 'getAttribLocation', 'getActiveUniform', 'getActiveAttrib',
  'getProgramInfoLog', 'getShaderInfoLog', 'getUniformBlockIndex', 'getActiveUniforms', 'getActiveUniformBlockParameter', 'getActiveUniformBlockName',
  'getFragDataLocation', 'getUniform', 'getVertexAttrib', 'getBufferParameter', 'getTexParameter', 'getRenderbufferParameter', 'getFramebufferAttachmentParameter',
  'getInternalformatParameter', 'getIndexedParameter', 'getQueryParameter', 'getSyncParameter', 'getTransformFeedbackVarying', 'checkFramebufferStatus',
  'readPixels', 'getBufferSubData', 'finish', 'clientWaitSync',
] as const;

/**
 * Installs the caps once, before guest code runs. `aboutToCompile` runs before each call that may
 * block while shaders compile; `aboutToWait` before each other call that waits for the GPU process.
 */
export function installGpuCaps(aboutToCompile: () => void = () => {}, aboutToWait: () => void = () => {}): void {
  const protos = [globalThis.WebGL2RenderingContext?.prototype, globalThis.WebGLRenderingContext?.prototype].filter((p): p is NonNullable<typeof p> => !!p);
  for (const proto of protos) {
    // The runtime may say it is alive before each (worker.ts: only before its first frame, where
    // the start-up limit still bounds it): a start-up waiting on a busy GPU process is working.
    for (const name of WAITING_CALLS) lockWithNotice(proto, name, aboutToWait);
    // The calls that may block the thread while shaders compile (three.js links, then asks at
    // once): the runtime says so first, so the watchdog takes the silence for work, not a hang.
    for (const name of ['compileShader', 'linkProgram', 'getShaderParameter', 'getProgramParameter'] as const) lockWithNotice(proto, name, aboutToCompile);
    lock(proto, 'drawArrays', (f) => function (this: unknown, mode: number, first: number, count: number) {
      charge(count, 1);
      return (f as (this: unknown, ...a: number[]) => unknown).call(this, mode, first, count);
    } as Method);
    lock(proto, 'drawElements', (f) => function (this: unknown, mode: number, count: number, type: number, offset: number) {
      charge(count, 1);
      return (f as (this: unknown, ...a: number[]) => unknown).call(this, mode, count, type, offset);
    } as Method);
    lock(proto, 'drawArraysInstanced', (f) => function (this: unknown, mode: number, first: number, count: number, instances: number) {
      charge(count, instances);
      return (f as (this: unknown, ...a: number[]) => unknown).call(this, mode, first, count, instances);
    } as Method);
    lock(proto, 'drawElementsInstanced', (f) => function (this: unknown, mode: number, count: number, type: number, offset: number, instances: number) {
      charge(count, instances);
      return (f as (this: unknown, ...a: number[]) => unknown).call(this, mode, count, type, offset, instances);
    } as Method);
    lock(proto, 'drawRangeElements', (f) => function (this: unknown, mode: number, start: number, end: number, count: number, type: number, offset: number) {
      charge(count, 1);
      return (f as (this: unknown, ...a: number[]) => unknown).call(this, mode, start, end, count, type, offset);
    } as Method);
    lock(proto, 'shaderSource', (f) => function (this: unknown, shader: unknown, source: string) {
      return (f as (this: unknown, s: unknown, t: string) => unknown).call(this, shader, boundShaderLoops(String(source), MAX_SHADER_LOOP_ITERATIONS));
    } as Method);
    lock(proto, 'getExtension', (f) => function (this: unknown, name: string) {
      if (BLOCKED_EXTENSIONS.has(String(name).toLowerCase())) return null;
      return (f as (this: unknown, n: string) => unknown).call(this, name);
    } as Method);
    lock(proto, 'getSupportedExtensions', (f) => function (this: unknown) {
      const list = (f as (this: unknown) => string[] | null).call(this);
      return list ? list.filter((n) => !BLOCKED_EXTENSIONS.has(n.toLowerCase())) : list;
    } as Method);
  }
}
