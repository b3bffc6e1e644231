// Hostile fixture: setup throws.
export default {
  setup() {
    throw new Error('setup exploded on purpose');
  },
  frame() {},
};
