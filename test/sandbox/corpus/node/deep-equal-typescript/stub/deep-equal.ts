export function deepEqual(_a: unknown, _b: unknown): boolean {
  throw new Error('not implemented');
}
