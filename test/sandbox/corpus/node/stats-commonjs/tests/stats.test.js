const { sum, mean, median } = require('./stats');

describe('stats', () => {
  test('sum', () => expect(sum([1, 2, 3, 4])).toBe(10));
  test('mean', () => expect(mean([2, 4, 9])).toBe(5));
  test('median of odd length', () => expect(median([5, 1, 3])).toBe(3));
  test('median of even length', () => expect(median([4, 1, 3, 2])).toBe(2.5));
  test('mean of nothing throws', () => expect(() => mean([])).toThrow(RangeError));
});
