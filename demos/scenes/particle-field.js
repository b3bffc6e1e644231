// A slowly turning field of glowing particles around the viewer, on a transparent
// background, so it composites over whatever layer is below it.
export function createParticleField(THREE, { count = 2500 } = {}) {
  const scene = new THREE.Scene();
  const positions = new Float32Array(count * 3);
  const colors = new Float32Array(count * 3);
  const color = new THREE.Color();
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let i = 0; i < count; i++) {
    const radius = 1.5 + random() * 7;
    const theta = random() * Math.PI * 2;
    const y = (random() - 0.2) * 5;
    positions.set([Math.cos(theta) * radius, 1.6 + y, Math.sin(theta) * radius], i * 3);
    color.setHSL(0.5 + random() * 0.35, 0.9, 0.6);
    colors.set([color.r, color.g, color.b], i * 3);
  }
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(positions, 3));
  geometry.setAttribute('color', new THREE.BufferAttribute(colors, 3));
  const points = new THREE.Points(
    geometry,
    new THREE.PointsMaterial({
      size: 0.06,
      map: glowSprite(THREE),
      vertexColors: true,
      transparent: true,
      depthWrite: false,
      blending: THREE.AdditiveBlending,
    }),
  );
  scene.add(points);

  return {
    scene,
    update(timeMs) {
      points.rotation.y = timeMs * 0.00004;
    },
  };
}

/** A small round glow (radial falloff), so particles are soft dots rather than squares. */
function glowSprite(THREE) {
  const size = 32;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x + 0.5 - size / 2, y + 0.5 - size / 2) / (size / 2);
      const a = Math.max(0, 1 - d) ** 2;
      data.set([255, 255, 255, Math.round(a * 255)], (y * size + x) * 4);
    }
  }
  const texture = new THREE.DataTexture(data, size, size);
  texture.needsUpdate = true;
  return texture;
}
