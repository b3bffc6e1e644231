/// <reference lib="webworker" />
// three.js, run only for a guest that uses it. Its bundle comes with the init call as a Blob (the
// compositor fetched /@steadfast/three.js once for the page: tooling/guest-bundles.ts), so a
// plain WebGL guest's worker never fetches, scans or runs three.js. The platform calls that run
// it are taken here, when the runtime's script runs, and the bundle before the guest's module is
// imported: before any guest code exists. Guest code that later patches the built-ins three.js
// runs on can break three.js for itself, in its own worker, and nothing else.
import type * as THREE_NS from 'three';
import { THREE_LOADER } from '../shared/bare-specifiers';

declare const self: DedicatedWorkerGlobalScope;
type Three = typeof THREE_NS;

const global = self as unknown as Record<symbol, unknown>;
const resultKey = Symbol.for(`${THREE_LOADER}.result`);
const importScripts = self.importScripts.bind(self);
const createObjectURL = URL.createObjectURL.bind(URL);
const revokeObjectURL = URL.revokeObjectURL.bind(URL);
const BlobClass = Blob;
const freeze = Object.freeze;

/** three.js's bundle until it is run, or why there is none. */
let bundle: { ok: true; blob: Blob } | { ok: false; why: string } = { ok: false, why: 'the runtime was not given three.js' };
let three: Three | null = null;

/** Takes three.js's bundle (a Blob), or the reason the compositor could not fetch it (a string). Before any guest code; once. */
export function provideThree(given: Blob | string): void {
  if (three !== null || bundle.ok) return;
  bundle = given instanceof BlobClass ? { ok: true, blob: given } : { ok: false, why: String(given) };
}

/** Whether three.js has run in this worker (loadThree() returns at once). */
export function threeLoaded(): boolean {
  return three !== null;
}

/** three.js's namespace (frozen, as a module's is), run on the first call. Throws, saying why, if there is no three.js to run. */
export function loadThree(): Three {
  if (three) return three;
  if (!bundle.ok) throw new Error(`three.js is not available to this guest: ${bundle.why}`);
  const url = createObjectURL(bundle.blob);
  try {
    importScripts(url);
  } finally {
    revokeObjectURL(url);
  }
  const loaded = global[resultKey];
  delete global[resultKey];
  if (typeof loaded !== 'object' || loaded === null) throw new Error('three.js did not load in this guest runtime');
  bundle = { ok: false, why: 'three.js already ran' };
  three = freeze(loaded) as Three;
  return three;
}
