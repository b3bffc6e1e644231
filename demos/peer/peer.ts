// The peer baseline: the same cubes room as demos/cubes.js, rendered by three.js's own
// WebXRManager on the main thread of a plain WebXR page (emulator), with no compositor.
// `npm run bench` compares the guest's frame rate inside Steadfast against this page's.
import * as THREE from 'three';
import { installEmulator } from '../../compositor/emulator/install';
import { createCubesRoom } from '../scenes/cubes-room.js';

declare global {
  interface Window {
    peer: { stats(): { frames: number; fps: number } };
  }
}

const canvas = document.querySelector<HTMLCanvasElement>('#view')!;
const hud = document.querySelector<HTMLElement>('#hud')!;
const stamps: number[] = [];
let frames = 0;
window.peer = {
  stats: () => ({
    frames,
    fps: stamps.length > 1 ? ((stamps.length - 1) * 1000) / (stamps[stamps.length - 1]! - stamps[0]!) : 0,
  }),
};

async function main(): Promise<void> {
  installEmulator();
  canvas.width = canvas.clientWidth;
  canvas.height = canvas.clientHeight;
  const renderer = new THREE.WebGLRenderer({ canvas, antialias: false });
  renderer.setPixelRatio(1);
  renderer.setSize(canvas.clientWidth, canvas.clientHeight, false);
  renderer.xr.enabled = true;
  renderer.xr.setReferenceSpaceType('local-floor');
  const room = createCubesRoom(THREE);
  const camera = new THREE.PerspectiveCamera();
  // Runs once per XR frame: animate and render both eyes (three.js does the stereo split).
  renderer.setAnimationLoop((time: number) => {
    room.update(time);
    renderer.render(room.scene, camera);
    frames += 1;
    stamps.push(performance.now());
    if (stamps.length > 120) stamps.shift();
  });
  await navigator.xr!.isSessionSupported('immersive-vr');
  const session = await navigator.xr!.requestSession('immersive-vr', { optionalFeatures: ['local-floor'] });
  await renderer.xr.setSession(session);
  setInterval(() => (hud.textContent = `peer · ${window.peer.stats().fps.toFixed(0)} fps · ${frames} frames`), 250);
}

main().catch((e: unknown) => {
  hud.textContent = `peer failed: ${e instanceof Error ? e.message : String(e)}`;
});
