import { deepEqual } from './deep-equal';

describe('deepEqual', () => {
  test('primitives', () => {
    expect(deepEqual(1, 1)).toBe(true);
    expect(deepEqual('a', 'b')).toBe(false);
  });
  test('NaN equals NaN', () => expect(deepEqual(NaN, NaN)).toBe(true));
  test('nested objects', () => expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true));
  test('different keys', () => expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false));
  test('array is not an object with index keys', () => expect(deepEqual([1], { 0: 1 })).toBe(false));
});
