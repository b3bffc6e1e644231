/// <reference lib="webworker" />
// three.js, run only for a guest that uses it. The runtime's script carries three.js's bundle as a
// string (tooling/guest-bundles.ts): a plain WebGL guest's worker never parses or runs three.js,
// and starts that much sooner. The string, and the platform calls that run it, are taken here,
// when the runtime's script runs, before any guest code exists. Guest code that later patches the
// built-ins three.js runs on can break three.js for itself, in its own worker, and nothing else.
import type * as THREE_NS from 'three';
import { THREE_LOADER } from '../shared/bare-specifiers';

declare const self: DedicatedWorkerGlobalScope;
type Three = typeof THREE_NS;

const global = self as unknown as Record<symbol, unknown>;
const sourceKey = Symbol.for(THREE_LOADER);
const resultKey = Symbol.for(`${THREE_LOADER}.result`);
/** three.js's bundle, until it is run (then dropped: 1.4 MB). */
let source = global[sourceKey];
delete global[sourceKey];
const importScripts = self.importScripts.bind(self);
const createObjectURL = URL.createObjectURL.bind(URL);
const revokeObjectURL = URL.revokeObjectURL.bind(URL);
const BlobClass = Blob;
const freeze = Object.freeze;

let three: Three | null = null;

/** Whether three.js has run in this worker (loadThree() returns at once). */
export function threeLoaded(): boolean {
  return three !== null;
}

/** three.js's namespace (frozen, as a module's is), run on the first call. Throws if this runtime's script was built without it. */
export function loadThree(): Three {
  if (three) return three;
  if (typeof source !== 'string') throw new Error('three.js is not part of this guest runtime (its script was built without it)');
  const url = createObjectURL(new BlobClass([source], { type: 'text/javascript' }));
  try {
    importScripts(url);
  } finally {
    revokeObjectURL(url);
  }
  const loaded = global[resultKey];
  delete global[resultKey];
  if (typeof loaded !== 'object' || loaded === null) throw new Error('three.js did not load in this guest runtime');
  source = undefined;
  three = freeze(loaded) as Three;
  return three;
}
