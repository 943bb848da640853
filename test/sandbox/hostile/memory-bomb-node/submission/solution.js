const hoard = [];
export function solve() {
  for (;;) {
    const b = Buffer.alloc(16 * 1024 * 1024, 1);
    hoard.push(b);
  }
}
