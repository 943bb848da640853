const sum = (xs) => xs.reduce((a, b) => a + b, 0);
function mean(xs) {
  if (xs.length === 0) throw new RangeError('mean of an empty list');
  return sum(xs) / xs.length;
}
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}
module.exports = { sum, mean, median };
