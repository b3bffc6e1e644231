// Starting the WebXR session: the same code path on a headset and on the emulator.
// On a headset the user presses "Enter VR" (immersive sessions need a gesture); on the
// emulator the session starts at once.
export async function headsetAvailable(): Promise<boolean> {
  try {
    return !!navigator.xr && (await navigator.xr.isSessionSupported('immersive-vr'));
  } catch {
    return false;
  }
}

export interface XRPresentation {
  session: XRSession;
  space: XRReferenceSpace;
}

/** Requests an immersive-vr session and binds the compositor's GL context to it. */
export async function startImmersive(gl: WebGL2RenderingContext): Promise<XRPresentation> {
  const xr = navigator.xr;
  if (!xr) throw new Error('WebXR is not available');
  // The polyfill needs isSessionSupported before requestSession; harmless natively.
  await xr.isSessionSupported('immersive-vr');
  const session = await xr.requestSession('immersive-vr', { optionalFeatures: ['local-floor'] });
  await gl.makeXRCompatible();
  session.updateRenderState({
    baseLayer: new XRWebGLLayer(session, gl, { antialias: false, alpha: false, depth: true }),
  });
  let space: XRReferenceSpace;
  try {
    space = await session.requestReferenceSpace('local-floor');
  } catch {
    space = await session.requestReferenceSpace('local');
  }
  return { session, space };
}
