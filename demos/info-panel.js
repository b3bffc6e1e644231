// Demo guest: a world-space info panel (a quad layer; `?layer=cylinder` curves it round the
// viewer instead). It draws text with a 2-D OffscreenCanvas and shows it through WebGL2: the
// compositor places the panel in the world every frame, so it stays put while the head moves,
// whatever this guest's frame rate.
const query = new URL(import.meta.url).searchParams;
const curved = query.get('layer') === 'cylinder';
const turn = (-25 * Math.PI) / 180; // face the viewer from the right
const tilt = (-12 * Math.PI) / 180;

// Orientation: yaw about +Y, then tilt about X (as a quaternion [x, y, z, w]).
const cy = Math.cos(turn / 2), sy = Math.sin(turn / 2), cx = Math.cos(tilt / 2), sx = Math.sin(tilt / 2);
const orientation = [cy * sx, sy * cx, -sy * sx, cy * cx];

const layer = curved
  ? { type: 'cylinder', position: [0, 1.3, 0], radius: 1.4, centralAngle: 0.9, height: 0.35, surface: { width: 1024, height: 288 } }
  : { type: 'quad', position: [0.55, 1.25, -1.1], orientation, width: 0.5, height: 0.25, surface: { width: 512, height: 256 } };

let text;
let texture;
let program;
const started = performance.now();

export default {
  layer,
  setup({ gl, width, height }) {
    text = new OffscreenCanvas(width, height).getContext('2d');
    texture = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    const compile = (type, source) => {
      const shader = gl.createShader(type);
      gl.shaderSource(shader, source);
      gl.compileShader(shader);
      return shader;
    };
    program = gl.createProgram();
    gl.attachShader(program, compile(gl.VERTEX_SHADER, `#version 300 es
      out vec2 uv;
      void main() {
        vec2 c = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
        uv = vec2(c.x, 1.0 - c.y);
        gl_Position = vec4(c * 2.0 - 1.0, 0.0, 1.0);
      }`));
    gl.attachShader(program, compile(gl.FRAGMENT_SHADER, `#version 300 es
      precision mediump float;
      uniform sampler2D t;
      in vec2 uv;
      out vec4 color;
      void main() { color = texture(t, uv); }`));
    gl.linkProgram(program);
    gl.bindVertexArray(gl.createVertexArray());
  },
  frame({ gl, width, height, frame, dt }) {
    const c = text;
    c.clearRect(0, 0, width, height);
    c.fillStyle = 'rgba(12, 18, 30, 0.85)';
    c.beginPath();
    c.roundRect(4, 4, width - 8, height - 8, height * 0.08);
    c.fill();
    c.strokeStyle = '#6cf';
    c.lineWidth = Math.max(2, height * 0.012);
    c.stroke();
    c.fillStyle = '#e8f0ff';
    c.font = `600 ${Math.round(height * 0.12)}px system-ui, sans-serif`;
    c.fillText(curved ? 'Steadfast · cylinder layer' : 'Steadfast · quad layer', width * 0.06, height * 0.3);
    c.font = `${Math.round(height * 0.095)}px ui-monospace, monospace`;
    c.fillStyle = '#9fb3d1';
    c.fillText(`up ${((performance.now() - started) / 1000).toFixed(1)} s · frame ${frame}`, width * 0.06, height * 0.55);
    c.fillText(`${dt > 0 ? (1000 / dt).toFixed(0) : '–'} frames/s asked of this guest`, width * 0.06, height * 0.75);
    // Premultiplied upload: the compositor blends premultiplied alpha.
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, true);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, c.canvas);
    gl.viewport(0, 0, width, height);
    gl.disable(gl.BLEND);
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.useProgram(program);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
  },
};
