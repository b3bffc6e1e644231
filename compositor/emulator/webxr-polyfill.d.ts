// Local types for the parts of webxr-polyfill (plain JS, no types shipped) that the emulator uses.
declare module 'webxr-polyfill/src/devices/XRDevice.js' {
  export default class XRDevice {
    constructor(global: typeof globalThis);
    global: typeof globalThis;
    environmentBlendMode: string;
    dispatchEvent(type: string, detail?: unknown): void;
    onWindowResize(): void;
    requestFrameOfReferenceTransform(type: string, options?: unknown): Promise<Float32Array | null | undefined>;
  }
}

declare module 'webxr-polyfill/src/api/index.js' {
  const API: Record<string, unknown> & {
    XRSystem: new (devicePromise: Promise<unknown>) => XRSystem;
  };
  export default API;
}
