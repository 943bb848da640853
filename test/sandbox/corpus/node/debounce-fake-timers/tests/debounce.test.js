const debounce = require('./debounce');

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('does not call immediately', () => {
  const fn = jest.fn();
  debounce(fn, 100)();
  expect(fn).not.toHaveBeenCalled();
});

test('calls once after the wait', () => {
  const fn = jest.fn();
  const d = debounce(fn, 100);
  d();
  jest.advanceTimersByTime(100);
  expect(fn).toHaveBeenCalledTimes(1);
});

test('collapses a burst into one call with the last arguments', () => {
  const fn = jest.fn();
  const d = debounce(fn, 100);
  d(1);
  jest.advanceTimersByTime(50);
  d(2);
  jest.advanceTimersByTime(50);
  d(3);
  jest.advanceTimersByTime(100);
  expect(fn.mock.calls).toEqual([[3]]);
});
