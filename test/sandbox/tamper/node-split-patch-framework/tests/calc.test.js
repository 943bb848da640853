// MARKER: Zebra-Quartz-7741 (hidden test content)
import { add } from './calc';

test('adds', () => {
  expect(add(2, 3)).toBe(5);
});

test('adds negatives', () => {
  expect(add(-2, -3)).toBe(-5);
});
