// Demo guest: three.js's "webxr_xr_cubes" example, ported with its imports unchanged ('three' and
// two addons by their bare names) and its DOM lines removed (no document, no VRButton, no window
// resize; the renderer is made on the guest's canvas and context, and the session is ctx.session).
// A room of 200 cubes; point at one with a controller to light it, hold the trigger to push it
// away. The controllers are drawn with their real models (XRControllerModelFactory), loaded from
// the compositor's own origin (the WebXR input profiles it serves), so they show offline too.
import * as THREE from 'three';
import { BoxLineGeometry } from 'three/addons/geometries/BoxLineGeometry.js';
import { XRControllerModelFactory } from 'three/addons/webxr/XRControllerModelFactory.js';

const clock = new THREE.Clock();
let room;
let factory;
let session;
const grips = [];

/** The same cubes on every load (the example uses Math.random; a seed keeps them put across reloads). */
function random(seed) {
  let s = seed;
  return () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646;
}

export default {
  async setup(ctx) {
    const renderer = new THREE.WebGLRenderer({ canvas: ctx.canvas, context: ctx.gl, antialias: false });
    renderer.xr.enabled = true;

    const scene = new THREE.Scene();
    scene.background = new THREE.Color(0x505050);
    const camera = new THREE.PerspectiveCamera(50, 1, 0.1, 10);

    room = new THREE.LineSegments(new BoxLineGeometry(6, 6, 6, 10, 10, 10).translate(0, 3, 0), new THREE.LineBasicMaterial({ color: 0xbcbcbc }));
    scene.add(room);
    scene.add(new THREE.HemisphereLight(0xa5a5a5, 0x898989, 3));
    const light = new THREE.DirectionalLight(0xffffff, 3);
    light.position.set(1, 1, 1).normalize();
    scene.add(light);

    const rand = random(7);
    const geometry = new THREE.BoxGeometry(0.15, 0.15, 0.15);
    for (let i = 0; i < 200; i++) {
      const object = new THREE.Mesh(geometry, new THREE.MeshLambertMaterial({ color: rand() * 0xffffff }));
      object.position.set(rand() * 4 - 2, rand() * 4, rand() * 4 - 2);
      object.rotation.set(rand() * 2 * Math.PI, rand() * 2 * Math.PI, rand() * 2 * Math.PI);
      object.scale.set(rand() + 0.5, rand() + 0.5, rand() + 0.5);
      object.userData.velocity = new THREE.Vector3();
      room.add(object);
    }

    const raycaster = new THREE.Raycaster();
    factory = new XRControllerModelFactory();
    const controllers = [];
    for (const i of [0, 1]) {
      const controller = renderer.xr.getController(i);
      // Runs when this controller's trigger goes down / comes up.
      controller.addEventListener('selectstart', () => (controller.userData.isSelecting = true));
      controller.addEventListener('selectend', () => (controller.userData.isSelecting = false));
      const line = new THREE.Line(new THREE.BufferGeometry().setFromPoints([new THREE.Vector3(0, 0, 0), new THREE.Vector3(0, 0, -1)]), new THREE.LineBasicMaterial({ color: 0xffffff }));
      line.scale.z = 5;
      controller.add(line);
      scene.add(controller);
      controllers.push(controller);
      const grip = renderer.xr.getControllerGrip(i);
      grip.add(factory.createControllerModel(grip));
      scene.add(grip);
      grips.push(grip);
    }

    let highlighted = null;
    renderer.setAnimationLoop(() => {
      const delta = Math.min(clock.getDelta(), 0.1) * 60;
      if (highlighted) highlighted.material.emissive.setHex(highlighted.userData.emissive);
      highlighted = null;
      for (const controller of controllers) {
        controller.updateMatrixWorld();
        raycaster.setFromXRController(controller);
        const hit = raycaster.intersectObjects(room.children, false)[0];
        if (!hit) continue;
        highlighted = hit.object;
        highlighted.userData.emissive = highlighted.material.emissive.getHex();
        highlighted.material.emissive.setHex(0xff0000);
        if (controller.userData.isSelecting) highlighted.userData.velocity.copy(raycaster.ray.direction).multiplyScalar(0.02);
      }
      for (const cube of room.children) {
        cube.userData.velocity.multiplyScalar(1 - 0.001 * delta);
        cube.position.addScaledVector(cube.userData.velocity, delta);
        for (const axis of ['x', 'z']) {
          if (cube.position[axis] < -2.5 || cube.position[axis] > 2.5) {
            cube.position[axis] = THREE.MathUtils.clamp(cube.position[axis], -2.5, 2.5);
            cube.userData.velocity[axis] = -cube.userData.velocity[axis];
          }
        }
        if (cube.position.y < 0 || cube.position.y > 6) {
          cube.position.y = THREE.MathUtils.clamp(cube.position.y, 0, 6);
          cube.userData.velocity.y = -cube.userData.velocity.y;
        }
        cube.rotation.x += cube.userData.velocity.x * 2 * delta;
        cube.rotation.y += cube.userData.velocity.y * 2 * delta;
        cube.rotation.z += cube.userData.velocity.z * 2 * delta;
      }
      renderer.render(scene, camera);
    });
    session = ctx.session;
    await renderer.xr.setSession(ctx.session);
  },
  snapshot() {
    // What the tests read: where the controller profiles come from, and which controller models have loaded.
    return {
      profilesPath: factory?.path,
      modelsLoaded: grips.filter((g) => g.children[0]?.motionController).length,
      sources: session ? [...session.inputSources].map((s) => `${s.handedness}:${s.profiles.join('|')}`) : [],
    };
  },
};
