// Forgets to cancel the previous timer: every call fires.
module.exports = function debounce(fn, wait) {
  return (...args) => {
    setTimeout(() => fn(...args), wait);
  };
};
