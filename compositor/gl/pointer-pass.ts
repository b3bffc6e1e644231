// The controller, drawn by the compositor over every layer and the HUD panel at the current pose:
// a beam fading in from the controller to where its ray ends, and a cursor disc (white, with a dark
// rim so it reads on any layer) where it meets a panel. Both are the unit square of the quad pass,
// placed by pointer-beam.ts; this only shades them. Premultiplied alpha, like every layer.
import { mat4 } from 'gl-matrix';
import type { WireView } from '../../shared/protocol';
import { beamFromUnit, cursorFromUnit, eyePosition, type PointerVisual } from '../pointer/beam';
import { createProgram } from './shader';
import { PLACED_SQUARE_VERTEX, uniformLocations } from './uniforms';

const FRAGMENT = `#version 300 es
precision highp float;
uniform int u_shape;   // 0: beam (s along it, t across), 1: cursor disc
uniform vec3 u_colour;
in vec2 v_st;
out vec4 color;
void main() {
  if (u_shape == 0) {
    float across = 1.0 - abs(v_st.y * 2.0 - 1.0);
    float a = 0.85 * smoothstep(0.0, 0.35, v_st.x) * smoothstep(0.0, 0.5, across);
    color = vec4(u_colour * a, a);
  } else {
    float d = length(v_st * 2.0 - 1.0);
    float a = 1.0 - smoothstep(0.85, 1.0, d);
    vec3 c = mix(u_colour, vec3(0.05), smoothstep(0.55, 0.7, d));
    color = vec4(c * a, a);
  }
}`;

/** The beam and cursor colours: light blue, and bright white-yellow while the trigger is held. */
export const POINTER_COLOUR = [0.55, 0.8, 1.0] as const;
export const POINTER_PRESSED_COLOUR = [1.0, 0.95, 0.6] as const;

export class PointerPass {
  private readonly program: WebGLProgram;
  private readonly u: Record<'u_clipFromPanel' | 'u_shape' | 'u_colour', WebGLUniformLocation | null>;
  private readonly clip = mat4.create();

  constructor(private readonly gl: WebGL2RenderingContext) {
    this.program = createProgram(gl, PLACED_SQUARE_VERTEX, FRAGMENT);
    this.u = uniformLocations(gl, this.program, ['u_clipFromPanel', 'u_shape', 'u_colour'] as const);
  }

  /** Draws the pointer into the current viewport for the eye seeing through `view`. */
  draw(pointer: PointerVisual, view: WireView): void {
    const gl = this.gl;
    const eye = eyePosition(view.viewMatrix);
    gl.useProgram(this.program);
    gl.uniform3fv(this.u.u_colour, pointer.pressed ? POINTER_PRESSED_COLOUR : POINTER_COLOUR);
    const beam = pointer.from ? beamFromUnit(pointer.from, pointer.to, eye) : null;
    if (beam) this.drawUnit(0, beam, view);
    const cursor = pointer.hit ? cursorFromUnit(pointer.to, eye) : null;
    if (cursor) this.drawUnit(1, cursor, view);
  }

  private drawUnit(shape: number, worldFromUnit: mat4, view: WireView): void {
    const gl = this.gl;
    mat4.multiply(this.clip, view.projectionMatrix as mat4, view.viewMatrix as mat4);
    mat4.multiply(this.clip, this.clip, worldFromUnit);
    gl.uniform1i(this.u.u_shape, shape);
    gl.uniformMatrix4fv(this.u.u_clipFromPanel, false, this.clip);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
  }

  dispose(): void {
    this.gl.deleteProgram(this.program);
  }
}
