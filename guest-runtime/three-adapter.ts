// three.js on a guest surface: one WebGLRenderer on the runtime's canvas and context,
// and one camera per view whose matrices come straight from the compositor's views.
// Traps avoided: setSize(w, h, false) (no CSS on an OffscreenCanvas); cameras take
// their matrices as given (matrixAutoUpdate off, updateProjectionMatrix never called).
// Depth layers: each view is rendered a second time into its depth viewport with three's
// MeshDepthMaterial in RGBDepthPacking, which is exactly the packing the compositor reads.
import type * as THREE_NS from 'three';
import type { GuestContext, StereoThreeRenderer } from '../shared/guest-contract';

type Three = typeof THREE_NS;

export function createStereoThreeRenderer(
  THREE: Three,
  ctx: Pick<GuestContext, 'canvas' | 'gl' | 'width' | 'height' | 'views'>,
): StereoThreeRenderer {
  const renderer = new THREE.WebGLRenderer({
    canvas: ctx.canvas,
    context: ctx.gl,
    alpha: true,
    premultipliedAlpha: true,
    antialias: false,
  });
  renderer.setPixelRatio(1);
  renderer.setSize(ctx.width, ctx.height, false);
  const size = renderer.getSize(new THREE.Vector2());
  renderer.autoClear = false;
  renderer.setClearColor(0x000000, 0);
  const cameras: THREE_NS.PerspectiveCamera[] = [];
  let depthMaterial: THREE_NS.MeshDepthMaterial | null = null;
  const white = new THREE.Color(1, 1, 1);
  const clear = new THREE.Color(0, 0, 0);

  /** Renders one view's packed depth: cleared to white (depth 1, far), then every mesh's depth. */
  function renderDepth(scene: THREE_NS.Scene, camera: THREE_NS.Camera, target: { x: number; y: number; width: number; height: number }): void {
    depthMaterial ??= new THREE.MeshDepthMaterial({ depthPacking: THREE.RGBDepthPacking });
    renderer.setViewport(target.x, target.y, target.width, target.height);
    renderer.setScissor(target.x, target.y, target.width, target.height);
    renderer.setClearColor(white, 1);
    renderer.clear(true, true, false);
    const previous = scene.overrideMaterial;
    const background = scene.background;
    scene.overrideMaterial = depthMaterial;
    scene.background = null;
    renderer.render(scene, camera);
    scene.overrideMaterial = previous;
    scene.background = background;
    renderer.setClearColor(clear, 0);
  }

  function cameraFor(index: number): THREE_NS.PerspectiveCamera {
    let camera = cameras[index];
    if (!camera) {
      camera = new THREE.PerspectiveCamera();
      camera.matrixAutoUpdate = false;
      camera.matrixWorldAutoUpdate = false;
      cameras[index] = camera;
    }
    return camera;
  }

  return {
    renderer,
    render(scene) {
      // The surface may be smaller or larger this frame (dynamic resolution): follow it.
      if (renderer.domElement.width !== ctx.width || renderer.domElement.height !== ctx.height || size.x !== ctx.width || size.y !== ctx.height) {
        renderer.setSize(ctx.width, ctx.height, false);
        renderer.getSize(size);
      }
      renderer.setScissorTest(false);
      renderer.setViewport(0, 0, ctx.width, ctx.height);
      renderer.clear(true, true, true);
      renderer.setScissorTest(true);
      ctx.views.forEach((view, i) => {
        const camera = cameraFor(i);
        camera.matrixWorldInverse.fromArray(view.viewMatrix);
        camera.matrixWorld.copy(camera.matrixWorldInverse).invert();
        camera.matrix.copy(camera.matrixWorld);
        camera.matrix.decompose(camera.position, camera.quaternion, camera.scale);
        camera.projectionMatrix.fromArray(view.projectionMatrix);
        camera.projectionMatrixInverse.copy(camera.projectionMatrix).invert();
        const { x, y, width, height } = view.viewport;
        renderer.setViewport(x, y, width, height);
        renderer.setScissor(x, y, width, height);
        renderer.render(scene, camera);
        if (view.depthViewport) {
          renderDepth(scene, camera, view.depthViewport);
        }
      });
      renderer.setScissorTest(false);
    },
  };
}
