// Looking up a program's uniforms by name once, so passes set them without string lookups per draw.
import { createProgram } from './shader';
export function uniformLocations<K extends string>(gl: WebGL2RenderingContext, program: WebGLProgram, names: readonly K[]): Record<K, WebGLUniformLocation | null> {
  const out = {} as Record<K, WebGLUniformLocation | null>;
  for (const name of names) out[name] = gl.getUniformLocation(program, name);
  return out;
}

/**
 * A pass's program: compiled and linked, its uniforms looked up, and its `u_texture` sampler bound
 * to texture unit 0 (every pass samples one layer texture there).
 */
export function texturedProgram<K extends string>(gl: WebGL2RenderingContext, vertexSource: string, fragmentSource: string, names: readonly K[]): { program: WebGLProgram; u: Record<K, WebGLUniformLocation | null> } {
  const program = createProgram(gl, vertexSource, fragmentSource);
  const u = uniformLocations(gl, program, names);
  gl.useProgram(program);
  gl.uniform1i(gl.getUniformLocation(program, 'u_texture'), 0);
  return { program, u };
}

/** GLSL shared by the passes: a full-viewport quad from gl_VertexID, and the surface's row order. */
export const FULLSCREEN_VERTEX = `#version 300 es
out vec2 v_ndc;
void main() {
  vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
  v_ndc = corner * 2.0 - 1.0;
  gl_Position = vec4(v_ndc, 0.0, 1.0);
}`;

/** GLSL: the unit square (−0.5..0.5 in x and y, z = 0) from gl_VertexID, placed in clip space by one matrix; v_st is 0..1 across it. */
export const PLACED_SQUARE_VERTEX = `#version 300 es
uniform mat4 u_clipFromPanel; // the unit square to current clip
out vec2 v_st;
void main() {
  vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
  v_st = corner;
  gl_Position = u_clipFromPanel * vec4(corner - 0.5, 0.0, 1.0);
}`;

/** A surface position (0..1, origin bottom-left as in GL viewports) as a texture coordinate: bitmap rows run top to bottom. */
export const SURFACE_TO_TEXTURE = `vec2 surfaceToTexture(vec2 p) { return vec2(p.x, 1.0 - p.y); }`;
