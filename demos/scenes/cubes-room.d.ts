import type * as THREE from 'three';
export function createCubesRoom(three: typeof THREE, options?: { cubes?: number }): {
  scene: THREE.Scene;
  update(timeMs: number): void;
};
