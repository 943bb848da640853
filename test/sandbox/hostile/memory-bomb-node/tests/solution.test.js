import { solve } from './solution';

test('solves', () => {
  expect(solve()).toBe(42);
});
