// Hostile fixture: setup() never returns (busy loop).
export default {
  setup() {
    for (;;);
  },
  frame() {},
};
