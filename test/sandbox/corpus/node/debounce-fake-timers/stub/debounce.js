module.exports = function debounce() {
  throw new Error('not implemented');
};
