// Installs the desktop emulator as the page's WebXR implementation.
// Traps handled (measured in headless Chromium 156): native navigator.xr exists and
// webxr-polyfill will not replace it, so its API classes are written over the globals
// and navigator.xr is redefined; native XRWebGLBinding is deleted (or three.js takes
// the layers path); the native makeXRCompatible hangs, so it is patched to resolve.
import API from 'webxr-polyfill/src/api/index.js';
import { EmulatorDevice } from './emulator-device';

export function installEmulator(): EmulatorDevice {
  const device = new EmulatorDevice(globalThis);
  const g = globalThis as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(API)) g[name] = value;
  delete g.XRWebGLBinding;
  delete g.XRMediaBinding;
  for (const Context of [WebGLRenderingContext, WebGL2RenderingContext]) {
    Object.defineProperty(Context.prototype, 'makeXRCompatible', {
      configurable: true,
      writable: true,
      value: () => Promise.resolve(),
    });
  }
  Object.defineProperty(navigator, 'xr', { configurable: true, value: new API.XRSystem(Promise.resolve(device)) });
  return device;
}
