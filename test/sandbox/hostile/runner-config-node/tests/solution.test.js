const { solve } = require('./solution');

test('solves', () => {
  expect(solve()).toBe(42);
});
