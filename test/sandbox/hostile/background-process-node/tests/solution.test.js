const { start } = require('./solution');

test('starts', () => {
  expect(start()).toBe(42);
});
