import flatten from './flatten';

describe('flatten', () => {
  it('keeps a flat array', () => expect(flatten([1, 2, 3])).toEqual([1, 2, 3]));
  it('flattens one level', () => expect(flatten([1, [2, 3]])).toEqual([1, 2, 3]));
  it('flattens deeply by default', () => expect(flatten([1, [2, [3, [4]]]])).toEqual([1, 2, 3, 4]));
  it('respects a depth', () => expect(flatten([1, [2, [3, [4]]]], 2)).toEqual([1, 2, 3, [4]]));
  it('does not modify its input', () => {
    const input = [1, [2]];
    flatten(input);
    expect(input).toEqual([1, [2]]);
  });
});
