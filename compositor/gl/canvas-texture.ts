// A 2-D canvas the compositor draws text on (the HUD panel, preview labels), as a texture: made
// on first use, uploaded with premultiplied alpha like every layer, rows top to bottom like a
// guest's bitmap (so the passes sample it the same way).
export function uploadCanvas(gl: WebGL2RenderingContext, texture: WebGLTexture | null, canvas: OffscreenCanvas): WebGLTexture {
  const target = texture ?? gl.createTexture();
  gl.bindTexture(gl.TEXTURE_2D, target);
  if (!texture) {
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
  }
  gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, true);
  gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, canvas);
  gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
  return target;
}
