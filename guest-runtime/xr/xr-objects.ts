// The WebXR objects a WebXR-shaped guest sees in its worker (guest-session.ts drives them): rigid
// transforms, spaces, poses, views, input sources and the session's events, shaped as the WebXR
// Device API defines them, as far as three.js's WebXRManager and ordinary WebXR code read them.
// Poses are computed from the frame request's views and input (the compositor's world).
import { mat4, quat, vec3 } from 'gl-matrix';
import type { InputSourceState } from '../../shared/protocol';

const point = (x: number, y: number, z: number, w: number): DOMPointReadOnly => Object.freeze({ x, y, z, w }) as DOMPointReadOnly;

export class GuestRigidTransform {
  readonly matrix: Float32Array;
  readonly position: DOMPointReadOnly;
  readonly orientation: DOMPointReadOnly;
  private inverted: GuestRigidTransform | null = null;

  /** As WebXR's XRRigidTransform(position, orientation); or, internally, from a matrix. */
  constructor(position?: DOMPointInit | Float32Array, orientation?: DOMPointInit) {
    if (position instanceof Float32Array) {
      this.matrix = new Float32Array(position);
    } else {
      const q = quat.normalize(quat.create(), [orientation?.x ?? 0, orientation?.y ?? 0, orientation?.z ?? 0, orientation?.w ?? 1]);
      this.matrix = mat4.fromRotationTranslation(new Float32Array(16), q, [position?.x ?? 0, position?.y ?? 0, position?.z ?? 0]) as Float32Array;
    }
    const t = mat4.getTranslation(vec3.create(), this.matrix);
    const r = mat4.getRotation(quat.create(), this.matrix);
    this.position = point(t[0], t[1], t[2], 1);
    this.orientation = point(r[0], r[1], r[2], r[3]);
  }

  get inverse(): GuestRigidTransform {
    this.inverted ??= new GuestRigidTransform(mat4.invert(new Float32Array(16), this.matrix) as Float32Array);
    return this.inverted;
  }
}

export class GuestPose {
  constructor(
    readonly transform: GuestRigidTransform,
    readonly emulatedPosition = false,
  ) {}
}

/** A space: where it is in the compositor's world this frame (null: not tracked now). */
export class GuestSpace extends EventTarget {
  constructor(readonly worldFrom: () => mat4 | null) {
    super();
  }
}

export class GuestReferenceSpace extends GuestSpace {
  /** A space offset from this one by `originOffset` (WebXR's getOffsetReferenceSpace). */
  getOffsetReferenceSpace(originOffset: GuestRigidTransform): GuestReferenceSpace {
    return new GuestReferenceSpace(() => {
      const base = this.worldFrom();
      return base ? mat4.multiply(mat4.create(), base, originOffset.matrix) : null;
    });
  }
}

export class GuestView {
  readonly recommendedViewportScale = null;
  constructor(
    readonly eye: XREye,
    readonly projectionMatrix: Float32Array,
    readonly transform: GuestRigidTransform,
    /** Where the view goes on the surface (XRWebGLLayer.getViewport). */
    readonly viewport: { x: number; y: number; width: number; height: number },
  ) {}
  requestViewportScale(): void {}
}

export class GuestViewerPose extends GuestPose {
  constructor(
    transform: GuestRigidTransform,
    readonly views: readonly GuestView[],
  ) {
    super(transform);
  }
}

/** One of the user's controllers, as a WebXR XRInputSource; its state is this frame's (or its last, while blurred: then it has no pose). */
export class GuestInputSource {
  readonly targetRaySpace: GuestSpace;
  readonly gripSpace: GuestSpace;
  readonly hand = undefined;
  state: InputSourceState;
  /** Tracked this frame (false while the guest is blurred). */
  tracked = true;

  constructor(state: InputSourceState) {
    this.state = state;
    this.targetRaySpace = new GuestSpace(() => (this.tracked ? (this.state.targetRay as unknown as mat4) : null));
    this.gripSpace = new GuestSpace(() => (this.tracked && this.state.grip ? (this.state.grip as unknown as mat4) : null));
  }
  get handedness(): XRHandedness {
    return this.state.handedness;
  }
  get targetRayMode(): XRTargetRayMode {
    return this.state.targetRayMode;
  }
  get profiles(): string[] {
    return this.state.profiles;
  }
  get gamepad(): InputSourceState['gamepad'] | undefined {
    return this.state.gamepad ?? undefined;
  }
}

export class GuestInputSourceEvent extends Event {
  readonly frame: unknown;
  readonly inputSource: GuestInputSource;
  constructor(type: string, init: { frame: unknown; inputSource: GuestInputSource }) {
    super(type);
    this.frame = init.frame;
    this.inputSource = init.inputSource;
  }
}

export class GuestInputSourcesChangeEvent extends Event {
  readonly session: unknown;
  readonly added: readonly GuestInputSource[];
  readonly removed: readonly GuestInputSource[];
  constructor(type: string, init: { session: unknown; added: GuestInputSource[]; removed: GuestInputSource[] }) {
    super(type);
    this.session = init.session;
    this.added = init.added;
    this.removed = init.removed;
  }
}

export class GuestSessionEvent extends Event {
  readonly session: unknown;
  constructor(type: string, init: { session: unknown }) {
    super(type);
    this.session = init.session;
  }
}
