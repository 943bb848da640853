import { add } from '../calc';

test('adds zero', () => {
  expect(add(7, 0)).toBe(7);
});
