// Hostile fixture: setup() returns a promise that never settles (the thread stays free).
export default {
  setup() {
    return new Promise(() => {});
  },
  frame() {},
};
