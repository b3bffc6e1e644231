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
  type FrameDelivery,
  type FrameRequest,
  type GuestControl,
  type GuestErrorReport,
  type InitResult,
  type BootMessage,
} from '../shared/protocol';
import { CONTROL_CALL_TIMEOUT_MS } from '../shared/limits';

export interface GuestHostEvents {
  /** A validated frame arrived; the receiver owns `frame.bitmap` from now on. */
  onFrame(frame: FrameDelivery): void;
  /** The guest reported an error it caught (phase, message, stack). */
  onError(report: GuestErrorReport): void;
  /** The guest sent something the protocol does not allow; `reason` says what. */
  onProtocolError(reason: string): void;
}

export interface GuestHost {
  /** Loads and sets up the guest; settles with its result, or a load failure on timeout or teardown. */
  start(): Promise<InitResult>;
  /** Asks the guest for a frame. Never blocks. */
  requestFrame(request: FrameRequest): void;
  /** Messages the guest's own code posted on the worker's public channel (ignored, counted). */
  readonly strayMessages: number;
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
  let settleStart: ((result: InitResult) => void) | null = null;

  const fail = (message: string): InitResult => ({ ok: false, phase: 'load', message });

  // Runs for each message on the frame port: validate, then hand on.
  frames.port1.onmessage = (event: MessageEvent<unknown>) => {
    if (terminated) {
      closeTransferred(event.data);
      return;
    }
    const parsed = parseGuestMessage(event.data);
    if (!parsed.ok) {
      closeTransferred(event.data);
      events.onProtocolError(parsed.reason);
      return;
    }
    const message = parsed.value;
    switch (message.type) {
      case 'frame':
        events.onFrame(message);
        return;
      case 'error':
        events.onError(message);
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
  };

  // Runs when the worker script itself fails (cannot load the runtime) or an error escapes it.
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    settleStart?.(fail(event.message || 'guest worker failed to start'));
  };

  const boot: BootMessage = { type: 'boot', controlPort: control.port2 };
  worker.postMessage(boot, [control.port2]);

  return {
    get strayMessages() {
      return strayMessages;
    },
    start() {
      return new Promise<InitResult>((resolve) => {
        let done = false;
        const timer = setTimeout(() => settle(fail(`no answer within ${CONTROL_CALL_TIMEOUT_MS} ms`)), CONTROL_CALL_TIMEOUT_MS);
        const settle = (result: InitResult) => {
          if (done) return;
          done = true;
          settleStart = null;
          clearTimeout(timer);
          resolve(result);
        };
        settleStart = settle;
        const params = { url, width: surface.width, height: surface.height, framePort: frames.port2 };
        api.init(Comlink.transfer(params, [frames.port2])).then(
          (raw) => {
            const parsed = parseInitResult(raw);
            settle(parsed.ok ? parsed.value : fail(`malformed init answer: ${parsed.reason}`));
          },
          (e: unknown) => settle(fail(e instanceof Error ? e.message : String(e))),
        );
      });
    },
    requestFrame(request) {
      if (!terminated) frames.port1.postMessage(request);
    },
    terminate() {
      if (terminated) return;
      terminated = true;
      settleStart?.(fail('terminated'));
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
