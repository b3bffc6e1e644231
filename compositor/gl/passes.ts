// Every GL program the compositor draws layers with, built together and rebuilt together after
// a context loss. Each pass owns one layer type (projection with or without depth, quad, cylinder);
// the pointer pass draws the controller over them all.
import { CylinderPass } from './cylinder-pass';
import { DepthWarpPass } from './depth-warp-pass';
import { PointerPass } from './pointer-pass';
import { ProjectionPass } from './projection-pass';
import { QuadPass } from './quad-pass';

export class Passes {
  readonly projection: ProjectionPass;
  readonly depthWarp: DepthWarpPass;
  readonly quad: QuadPass;
  readonly cylinder: CylinderPass;
  readonly pointer: PointerPass;
  private readonly vao: WebGLVertexArrayObject;

  constructor(private readonly gl: WebGL2RenderingContext) {
    this.projection = new ProjectionPass(gl);
    this.depthWarp = new DepthWarpPass(gl);
    this.quad = new QuadPass(gl);
    this.cylinder = new CylinderPass(gl);
    this.pointer = new PointerPass(gl);
    this.vao = gl.createVertexArray(); // no attributes: every pass builds its vertices from gl_VertexID
  }

  /** Sets the state every layer draw of a frame shares: premultiplied-alpha blending, no culling. */
  begin(): void {
    const gl = this.gl;
    gl.bindVertexArray(this.vao);
    gl.activeTexture(gl.TEXTURE0);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.disable(gl.DEPTH_TEST);
    gl.disable(gl.CULL_FACE);
    gl.disable(gl.SCISSOR_TEST);
  }

  dispose(): void {
    this.projection.dispose();
    this.depthWarp.dispose();
    this.quad.dispose();
    this.cylinder.dispose();
    this.pointer.dispose();
    this.gl.deleteVertexArray(this.vao);
  }
}
