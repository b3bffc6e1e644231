// Hostile fixture: in one frame() call, allocates JavaScript heap until its renderer process runs
// out of memory and dies. (In a plain worker on the compositor's process, that is the whole tab.)
const hoard = [];
export default {
  frame() {
    for (;;) hoard.push(new Array(1 << 20).fill({ hoard: hoard.length }));
  },
};
