// Demo guest: a field of glowing particles on a transparent background (composites over the room).
import { createParticleField } from './scenes/particle-field.js';

let field;
let stereo;

export default {
  setup(ctx) {
    field = createParticleField(ctx.THREE);
    stereo = ctx.createThreeRenderer();
  },
  frame(ctx) {
    field.update(ctx.time);
    stereo.render(field.scene);
  },
};
