// MARKER: Zebra-Quartz-7741 (hidden test content)
import { add, apply } from './calc';

test('adds', () => {
  expect(add(2, 3)).toBe(5);
});

test('applies', () => {
  expect(apply((x) => x * 2, 3)).toBe(6);
});
