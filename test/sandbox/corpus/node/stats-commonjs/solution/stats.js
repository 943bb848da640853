const sum = (xs) => xs.reduce((a, b) => a + b, 0);
function mean(xs) {
  if (xs.length === 0) throw new RangeError('mean of an empty list');
  return sum(xs) / xs.length;
}
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
module.exports = { sum, mean, median };
