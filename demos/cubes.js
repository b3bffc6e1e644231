// Demo guest: a room of spinning cubes over a floor grid (three.js via ctx.THREE).
// Its URL query shows off timewarp:
//   cubes.js?depth=1      also render depth, for positional timewarp (a depth layer)
//   cubes.js?overscan=0.1 render 10 % wider on each side, so turns never reveal an edge
//   cubes.js?busy=30      spend 30 ms per frame (a late guest: timewarp keeps it world-locked)
import { createCubesRoom } from './scenes/cubes-room.js';

const query = new URL(import.meta.url).searchParams;
const depth = query.get('depth') === '1';
const overscan = query.get('overscan') === null ? undefined : Number(query.get('overscan'));
const busyMs = Number(query.get('busy') ?? '0');

let room;
let stereo;

export default {
  layer: depth || overscan !== undefined ? { type: 'projection', depth: depth || undefined, overscan } : undefined,
  setup(ctx) {
    room = createCubesRoom(ctx.THREE);
    stereo = ctx.createThreeRenderer();
  },
  frame(ctx) {
    room.update(ctx.time);
    stereo.render(room.scene);
    const until = performance.now() + busyMs;
    while (performance.now() < until) {
      // a slow guest, on purpose
    }
  },
};
