// A cylinder layer: a curved panel around the viewer, ray-cast per pixel. Each pixel's ray (from
// the current view) is taken into the cylinder's own space and met with its wall from inside;
// the angle round the axis and the height give the surface position.
import type { mat4 } from 'gl-matrix';
import { FULLSCREEN_VERTEX, SURFACE_TO_TEXTURE, texturedProgram } from './uniforms';

const FRAGMENT = `#version 300 es
precision highp float;
uniform sampler2D u_texture;
uniform mat4 u_cylinderFromClip; // the cylinder's space from current clip
uniform vec3 u_shape;            // radius, central angle, height
in vec2 v_ndc;
out vec4 color;
${SURFACE_TO_TEXTURE}
void main() {
  vec4 a = u_cylinderFromClip * vec4(v_ndc, -1.0, 1.0);
  vec4 b = u_cylinderFromClip * vec4(v_ndc, 1.0, 1.0);
  vec3 o = a.xyz / a.w;
  vec3 d = normalize(b.xyz / b.w - o);
  float A = dot(d.xz, d.xz);
  float B = 2.0 * dot(o.xz, d.xz);
  float C = dot(o.xz, o.xz) - u_shape.x * u_shape.x;
  float disc = B * B - 4.0 * A * C;
  color = vec4(0.0);
  if (A < 1e-9 || disc < 0.0) return;
  float t = (-B + sqrt(disc)) / (2.0 * A); // the far wall: seen from inside
  if (t < 0.0) return;
  vec3 p = o + t * d;
  vec2 st = vec2(atan(p.x, -p.z) / u_shape.y + 0.5, p.y / u_shape.z + 0.5);
  if (any(lessThan(st, vec2(0.0))) || any(greaterThan(st, vec2(1.0)))) return;
  color = texture(u_texture, surfaceToTexture(st));
}`;

const UNIFORMS = ['u_texture', 'u_cylinderFromClip', 'u_shape'] as const;

export class CylinderPass {
  private readonly program: WebGLProgram;
  private readonly u: Record<(typeof UNIFORMS)[number], WebGLUniformLocation | null>;

  constructor(private readonly gl: WebGL2RenderingContext) {
    ({ program: this.program, u: this.u } = texturedProgram(gl, FULLSCREEN_VERTEX, FRAGMENT, UNIFORMS));
  }

  draw(texture: WebGLTexture, cylinderFromClip: mat4, shape: { radius: number; centralAngle: number; height: number }): void {
    const gl = this.gl;
    gl.useProgram(this.program);
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.uniformMatrix4fv(this.u.u_cylinderFromClip, false, cylinderFromClip);
    gl.uniform3f(this.u.u_shape, shape.radius, shape.centralAngle, shape.height);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
  }

  dispose(): void {
    this.gl.deleteProgram(this.program);
  }
}
