// Demo guest: a room of spinning cubes over a floor grid (three.js via ctx.THREE).
import { createCubesRoom } from './scenes/cubes-room.js';

let room;
let stereo;

export default {
  setup(ctx) {
    room = createCubesRoom(ctx.THREE);
    stereo = ctx.createThreeRenderer();
  },
  frame(ctx) {
    room.update(ctx.time);
    stereo.render(room.scene);
  },
};
