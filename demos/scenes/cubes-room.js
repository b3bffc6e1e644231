// A room of spinning cubes over a floor grid. Takes the three.js namespace as an argument,
// so the same scene runs as a guest (ctx.THREE) and on the peer page (import 'three').
export function createCubesRoom(THREE, { cubes = 14 } = {}) {
  const scene = new THREE.Scene();
  const sky = new THREE.Color(0x0d1524);
  scene.background = sky;
  scene.fog = new THREE.Fog(sky, 6, 22);

  scene.add(new THREE.HemisphereLight(0xcfe0ff, 0x1a1410, 1.4));
  const sun = new THREE.DirectionalLight(0xffffff, 1.6);
  sun.position.set(3, 6, 2);
  scene.add(sun);

  const floor = new THREE.Mesh(
    new THREE.PlaneGeometry(40, 40),
    new THREE.MeshLambertMaterial({ color: 0x121a26 }),
  );
  floor.rotation.x = -Math.PI / 2;
  scene.add(floor);
  const grid = new THREE.GridHelper(40, 40, 0x3d7bff, 0x1f3354);
  grid.position.y = 0.001;
  scene.add(grid);

  const geometry = new THREE.BoxGeometry(0.5, 0.5, 0.5);
  const spinners = [];
  for (let i = 0; i < cubes; i++) {
    const angle = (i / cubes) * Math.PI * 2;
    const radius = 2.6 + (i % 3) * 0.7;
    const material = new THREE.MeshLambertMaterial({ color: new THREE.Color().setHSL(i / cubes, 0.75, 0.55) });
    const cube = new THREE.Mesh(geometry, material);
    cube.position.set(Math.sin(angle) * radius, 1.1 + (i % 4) * 0.35, -Math.cos(angle) * radius);
    scene.add(cube);
    spinners.push({ cube, speed: 0.4 + (i % 5) * 0.15, phase: i });
  }

  return {
    scene,
    /** Advances the animation to `timeMs`. */
    update(timeMs) {
      const t = timeMs / 1000;
      for (const { cube, speed, phase } of spinners) {
        cube.rotation.x = t * speed + phase;
        cube.rotation.y = t * speed * 1.3 + phase;
        cube.position.y += Math.sin(t * 1.5 + phase) * 0.002;
      }
    },
  };
}
