export default function flatten() {
  throw new Error('not implemented');
}
