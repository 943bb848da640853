// Run once when the image is built (never in a grading run) so the code cache of the runner's
// own modules covers a TypeScript test, an ES module import, a passing and a failing test.
import { twice } from './warm';

describe('warm-up', () => {
  test('passes', () => expect(twice(2)).toBe(4));
  test('fails', () => expect(twice(2)).toEqual({ four: 4 }));
});
