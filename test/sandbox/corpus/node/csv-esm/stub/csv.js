export function parseCsv() {
  throw new Error('not implemented');
}
