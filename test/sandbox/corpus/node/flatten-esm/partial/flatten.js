export default function flatten(arr) {
  return [].concat(...arr);
}
