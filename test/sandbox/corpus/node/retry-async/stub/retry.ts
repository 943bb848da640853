export async function retry<T>(_fn: () => Promise<T>, _attempts: number, _delayMs: number): Promise<T> {
  throw new Error('not implemented');
}
