// Demo guest written as ordinary three.js WebXR code: three.js's "webxr_vr_dragging" example with
// its DOM lines removed (no document, no XRButton, no window resize; the renderer is made on the
// guest's canvas and context, and the session is ctx.session). Point at a shape with either
// controller and hold the trigger to pick it up; let go to drop it. Where the shapes are is its
// state: carried across hot reloads and restarts (snapshot, and ctx.state in setup).
let group;
/** The shapes, in a fixed order (a held one is its controller's child meanwhile). */
let objects = [];

export default {
  async setup(ctx) {
    const THREE = ctx.THREE;
    const renderer = new THREE.WebGLRenderer({ canvas: ctx.canvas, context: ctx.gl, antialias: false, alpha: true });
    renderer.setClearColor(0x000000, 0);
    renderer.xr.enabled = true;

    const scene = new THREE.Scene();
    const camera = new THREE.PerspectiveCamera(50, 1, 0.1, 10);
    scene.add(new THREE.HemisphereLight(0xbcbcbc, 0xa5a5a5, 3));
    const light = new THREE.DirectionalLight(0xffffff, 3);
    light.position.set(0, 6, 0);
    scene.add(light);

    group = new THREE.Group();
    objects = [];
    scene.add(group);
    const geometries = [
      new THREE.BoxGeometry(0.2, 0.2, 0.2),
      new THREE.ConeGeometry(0.12, 0.24, 32),
      new THREE.CylinderGeometry(0.1, 0.1, 0.2, 32),
      new THREE.IcosahedronGeometry(0.12, 1),
      new THREE.TorusGeometry(0.1, 0.04, 16, 48),
    ];
    const saved = Array.isArray(ctx.state?.positions) ? ctx.state.positions : null;
    geometries.forEach((geometry, i) => {
      const material = new THREE.MeshStandardMaterial({ color: new THREE.Color().setHSL(i / geometries.length, 0.7, 0.5), roughness: 0.7, metalness: 0 });
      const object = new THREE.Mesh(geometry, material);
      const p = saved?.[i];
      if (Array.isArray(p) && p.length === 3 && p.every(Number.isFinite)) object.position.set(p[0], p[1], p[2]);
      else object.position.set(-0.6 + i * 0.3, 1.4, -1.2);
      object.rotation.set(0.3 * i, 0.5 * i, 0);
      group.add(object);
      objects.push(object);
    });

    const raycaster = new THREE.Raycaster();
    const getIntersections = (controller) => {
      controller.updateMatrixWorld();
      raycaster.setFromXRController(controller);
      return raycaster.intersectObjects(group.children, false);
    };
    // Runs when a controller's trigger goes down: pick up the shape its ray meets first.
    const onSelectStart = (event) => {
      const controller = event.target;
      const hit = getIntersections(controller)[0];
      if (hit) {
        hit.object.material.emissive.b = 1;
        controller.attach(hit.object);
        controller.userData.selected = hit.object;
      }
    };
    // Runs when the trigger comes up: put the shape down where it is.
    const onSelectEnd = (event) => {
      const controller = event.target;
      const object = controller.userData.selected;
      if (object) {
        object.material.emissive.b = 0;
        group.attach(object);
        controller.userData.selected = undefined;
      }
    };
    const rayGeometry = new THREE.BufferGeometry().setFromPoints([new THREE.Vector3(0, 0, 0), new THREE.Vector3(0, 0, -1)]);
    for (const i of [0, 1]) {
      const controller = renderer.xr.getController(i);
      controller.addEventListener('selectstart', onSelectStart);
      controller.addEventListener('selectend', onSelectEnd);
      const line = new THREE.Line(rayGeometry, new THREE.LineBasicMaterial({ color: 0xffffff }));
      line.scale.z = 3;
      controller.add(line);
      scene.add(controller);
    }

    renderer.setAnimationLoop(() => renderer.render(scene, camera));
    await renderer.xr.setSession(ctx.session);
  },
  snapshot() {
    // World positions: a shape held in a hand is where the hand has it.
    return { positions: objects.map((o) => o.getWorldPosition(o.position.clone()).toArray()) };
  },
  restore(state) {
    if (!Array.isArray(state?.positions)) return;
    state.positions.forEach((p, i) => {
      const object = objects[i];
      if (object && Array.isArray(p) && p.length === 3 && p.every(Number.isFinite)) object.position.set(p[0], p[1], p[2]);
    });
  },
};
