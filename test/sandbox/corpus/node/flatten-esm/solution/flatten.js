export default function flatten(arr, depth = Infinity) {
  return arr.reduce((out, x) => (Array.isArray(x) && depth > 0 ? out.concat(flatten(x, depth - 1)) : out.concat([x])), []);
}
