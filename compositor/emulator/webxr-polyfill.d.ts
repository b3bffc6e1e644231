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

declare module 'webxr-polyfill/src/api/XRInputSource.js' {
  export default class XRInputSource {
    constructor(impl: { handedness: XRHandedness; targetRayMode: XRTargetRayMode; profiles: string[]; gamepad: object | undefined });
  }
}

declare module 'webxr-polyfill/src/api/XRPose.js' {
  export default class XRPose {
    constructor(transform: unknown, emulatedPosition: boolean);
  }
}

declare module 'webxr-polyfill/src/api/XRRigidTransform.js' {
  export default class XRRigidTransform {
    constructor(matrix: Float32Array);
  }
}
