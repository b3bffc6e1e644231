// The hostile gallery: one fixture per way a guest can misbehave, and the end state the
// supervision policy gives it. Used by the gallery page (hostile.html), the browser tests
// and the bench.
import type { LayerState } from '../../compositor/layer-state';

export interface HostileFixture {
  file: string;
  /** What the guest does. */
  does: string;
  /** The state its layer must end in. */
  ends: Extract<LayerState, 'failed' | 'quarantined'>;
  /** What its `error` must say. */
  error: RegExp;
  /** What its `stateReason` must say, where the policy's reason is the point (alone: all at once, another rule may act first). */
  reason?: RegExp;
  /**
   * Where the platform cannot keep siblings whole while the guest misbehaves (one GPU queue
   * without priority), the promise holds from the moment the policy has acted.
   */
  siblingsProtected: 'throughout' | 'once-acted';
}

export const HOSTILE_FIXTURES: readonly HostileFixture[] = [
  { file: 'hang-in-frame.js', does: 'frame() busy-loops forever after 30 frames', ends: 'quarantined', error: /^hang detected in .*hang-in-frame\.js: no frame and no sign of life/, siblingsProtected: 'throughout' },
  { file: 'hang-in-setup.js', does: 'setup() busy-loops forever', ends: 'quarantined', error: /^start-up failed for .*hang-in-setup\.js: no first frame: no sign of life for \d+ ms while loading or in setup\(\)/, reason: /^fell silent before its first frame in 2 starts in a row/, siblingsProtected: 'throughout' },
  { file: 'setup-never-settles.js', does: 'setup() returns a promise that never settles', ends: 'quarantined', error: /^start-up failed for .*setup-never-settles\.js: no first frame within/, siblingsProtected: 'throughout' },
  { file: 'throw-in-setup.js', does: 'setup() throws', ends: 'failed', error: /^setup failed for .*throw-in-setup\.js: setup exploded on purpose/, siblingsProtected: 'throughout' },
  { file: 'throw-in-frame.js', does: 'frame() throws from its 4th frame on', ends: 'quarantined', error: /^frame failed for .*throw-in-frame\.js: frame exploded on purpose/, siblingsProtected: 'throughout' },
  { file: 'syntax-error.js', does: 'is not valid JavaScript', ends: 'failed', error: /^load failed for .*syntax-error\.js: SyntaxError/, siblingsProtected: 'throughout' },
  { file: 'no-default-export.js', does: 'has no default export', ends: 'failed', error: /^load failed for .*no-default-export\.js: module has no default export/, siblingsProtected: 'throughout' },
  { file: 'slow-frames.js', does: 'takes 60 ms per frame', ends: 'quarantined', error: /^frame failed for .*slow-frames\.js: refused at admission: its frame\(\) itself takes at least \d+ ms of its thread's time/, siblingsProtected: 'throughout' },
  { file: 'memory-growth.js', does: 'keeps 32 MB more heap every frame', ends: 'quarantined', error: /memory-growth\.js/, siblingsProtected: 'throughout' },
  { file: 'message-flood.js', does: 'posts thousands of garbage and forged protocol messages per frame with self.postMessage', ends: 'quarantined', error: /^protocol failed for .*message-flood\.js: message flood/, siblingsProtected: 'throughout' },
  { file: 'huge-surface.js', does: 'resizes its surface to 16384×16384', ends: 'quarantined', error: /^frame failed for .*huge-surface\.js: RangeError: the surface is \d+×\d+; its width cannot be set to 16384/, siblingsProtected: 'throughout' },
  { file: 'self-close.js', does: 'calls self.close() after 5 frames', ends: 'quarantined', error: /^hang detected in .*self-close\.js/, siblingsProtected: 'throughout' },
  // Refused by its frames' GPU time within its first few frames (a probe at 1/32, two frames at 1/16, then two at 1/8; at 1/16 already where a busy machine makes them costlier): its siblings are kept throughout.
  { file: 'expensive-shader.js', does: 'draws a full-surface fragment shader with a 4000-step loop per pixel', ends: 'quarantined', error: /^frame failed for .*expensive-shader\.js: refused at admission: at 0\.(125|0625) scale its frames' GPU work takes at least \d+ ms/, siblingsProtected: 'throughout' },
  { file: 'lose-context.js', does: 'loses its own WebGL context after 5 frames', ends: 'quarantined', error: /^frame failed for .*lose-context\.js: .*context (is|was) lost/, siblingsProtected: 'throughout' },
];
