// The boundary between the compositor and one guest: everything that knows a guest
// lives in a Worker is in this file, so the isolation work can swap the transport
// (sandboxed iframe, MessagePort) without touching the rest of the compositor.
//
// Frames travel on a private MessagePort with the protocol of shared/protocol.ts;
// control calls (init) go by comlink on a second private port, each with a deadline.
// Every message from the guest is validated before it reaches the caller.
import * as Comlink from 'comlink';
import {
  parseGuestMessage,
  parseInitResult,
  parseSnapshotResult,
  type SnapshotResult,
  type FrameDelivery,
  type FrameRequest,
  type GuestControl,
  type GuestErrorReport,
  type InitResult,
  type BootMessage,
} from '../shared/protocol';
import { CONTROL_CALL_TIMEOUT_MS, FLOOD_MESSAGES_PER_FRAME, PORT_MESSAGES_PER_FRAME } from '../shared/limits';
import { admit, createBudget, newFrame } from './policy/message-budget';

export interface GuestHostEvents {
  /** Any valid message arrived (frame, heartbeat, error): the guest's thread is alive. */
  onLife(): void;
  /** A validated frame arrived; the receiver owns `frame.bitmap` from now on. */
  onFrame(frame: FrameDelivery): void;
  /** The guest reported an error it caught (phase, message, stack). */
  onError(report: GuestErrorReport): void;
  /** The guest sent something the protocol does not allow, or flooded; `reason` says what. Called once. */
  onProtocolError(reason: string): void;
}

export interface GuestHost {
  /** Loads and sets up the guest; settles with its result, or a load failure on timeout, worker error or teardown. */
  start(): Promise<InitResult>;
  /** Asks the guest for a frame. Never blocks. */
  requestFrame(request: FrameRequest): void;
  /** Asks the guest for its state; rejects on timeout, teardown or a malformed answer. */
  snapshot(): Promise<SnapshotResult>;
  /** Starts a new compositor frame's message allowance. */
  beginFrame(): void;
  /** Messages the guest's own code posted on the worker's public channel (ignored, counted). */
  readonly strayMessages: number;
  /** Frame-port messages over the per-frame cap (dropped, counted). */
  readonly droppedMessages: number;
  /** Ends the guest at once; never waits for its thread. Idempotent. */
  terminate(): void;
}

export interface Surface { width: number; height: number }

export function spawnGuest(url: string, surface: Surface, events: GuestHostEvents): GuestHost {
  const worker = new Worker(new URL('../guest-runtime/worker.ts', import.meta.url), {
    type: 'module',
    name: `guest ${url}`,
  });
  const control = new MessageChannel();
  const frames = new MessageChannel();
  const api = Comlink.wrap<GuestControl>(control.port1);
  let terminated = false;
  let strayMessages = 0;
  let violated = false;
  const portBudget = createBudget(PORT_MESSAGES_PER_FRAME, FLOOD_MESSAGES_PER_FRAME);
  const strayBudget = createBudget(0, FLOOD_MESSAGES_PER_FRAME);
  const pendingCalls = new Set<(reason: string) => void>();

  const fail = (message: string): InitResult => ({ ok: false, phase: 'load', message });

  // Reports the first violation only: the guest is ended after this dispatch, nothing after counts.
  // Stop listening at once, so a backlog already queued on this thread is not even read.
  const violation = (reason: string) => {
    if (violated || terminated) return;
    violated = true;
    worker.onmessage = null;
    frames.port1.onmessage = null;
    events.onProtocolError(reason);
  };

  /** A control call with a deadline that also settles (rejects) if the guest is torn down first. */
  function call<T>(name: string, start: () => Promise<unknown>, parse: (raw: unknown) => { ok: true; value: T } | { ok: false; reason: string }): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (terminated) return reject(new Error(`${name}: the guest is gone`));
      const done = (fn: () => void) => {
        clearTimeout(timer);
        pendingCalls.delete(abort);
        fn();
      };
      const abort = (reason: string) => done(() => reject(new Error(`${name}: ${reason}`)));
      const timer = setTimeout(() => abort(`no answer within ${CONTROL_CALL_TIMEOUT_MS} ms`), CONTROL_CALL_TIMEOUT_MS);
      pendingCalls.add(abort);
      start().then(
        (raw) => {
          const parsed = parse(raw);
          done(() => (parsed.ok ? resolve(parsed.value) : reject(new Error(`${name}: malformed answer: ${parsed.reason}`))));
        },
        (e: unknown) => abort(e instanceof Error ? e.message : String(e)),
      );
    });
  }

  // Runs for each message on the frame port: validate, then hand on.
  frames.port1.onmessage = (event: MessageEvent<unknown>) => {
    if (terminated || violated) {
      closeTransferred(event.data);
      return;
    }
    const admission = admit(portBudget);
    if (admission !== 'take') {
      closeTransferred(event.data);
      if (admission === 'flood') violation(`message flood: more than ${FLOOD_MESSAGES_PER_FRAME} messages in one frame`);
      return;
    }
    const parsed = parseGuestMessage(event.data);
    if (!parsed.ok) {
      closeTransferred(event.data);
      violation(`malformed message: ${parsed.reason}`);
      return;
    }
    const message = parsed.value;
    events.onLife();
    switch (message.type) {
      case 'frame':
        events.onFrame(message);
        return;
      case 'error':
        events.onError(message);
        return;
      case 'alive':
        return;
      default: {
        const check: never = message;
        return check;
      }
    }
  };

  // Runs when guest code posts on the worker's public channel (the runtime never does).
  worker.onmessage = (event: MessageEvent<unknown>) => {
    strayMessages += 1;
    closeTransferred(event.data);
    if (admit(strayBudget) === 'flood') {
      violation(`message flood: more than ${FLOOD_MESSAGES_PER_FRAME} messages in one frame on the worker's public channel`);
    }
  };

  // Runs when the worker script itself fails (cannot load the runtime) or an error escapes it.
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    for (const abort of [...pendingCalls]) abort(event.message || 'the guest worker failed');
  };

  const boot: BootMessage = { type: 'boot', controlPort: control.port2 };
  worker.postMessage(boot, [control.port2]);

  return {
    get strayMessages() {
      return strayMessages;
    },
    get droppedMessages() {
      return portBudget.dropped;
    },
    beginFrame() {
      newFrame(portBudget);
      newFrame(strayBudget);
    },
    snapshot() {
      return call('snapshot', () => api.snapshot(), parseSnapshotResult);
    },
    start() {
      const params = { url, width: surface.width, height: surface.height, framePort: frames.port2 };
      return call('init', () => api.init(Comlink.transfer(params, [frames.port2])), parseInitResult).catch(
        (e: unknown): InitResult => fail(e instanceof Error ? e.message : String(e)),
      );
    },
    requestFrame(request) {
      if (!terminated) frames.port1.postMessage(request);
    },
    terminate() {
      if (terminated) return;
      terminated = true;
      for (const abort of [...pendingCalls]) abort('the guest was terminated');
      worker.terminate();
      api[Comlink.releaseProxy]();
      frames.port1.close();
      control.port1.close();
    },
  };
}

/** Closes any ImageBitmap inside a message we are not going to use, so GPU/CPU memory is freed now. */
function closeTransferred(data: unknown): void {
  if (typeof data !== 'object' || data === null) return;
  try {
    const bitmap = (data as { bitmap?: unknown }).bitmap;
    if (bitmap instanceof ImageBitmap) bitmap.close();
  } catch {
    // A hostile getter: nothing to close.
  }
}
