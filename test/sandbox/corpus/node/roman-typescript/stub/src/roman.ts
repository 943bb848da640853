export function toRoman(_n: number): string {
  throw new Error('not implemented');
}

export function fromRoman(_s: string): number {
  throw new Error('not implemented');
}
