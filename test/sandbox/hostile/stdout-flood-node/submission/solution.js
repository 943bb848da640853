const fs = require('fs');

// Writes 1 GB to stdout, retrying when the (non-blocking) pipe is full.
function writeAll(buf) {
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(1, buf, off);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
    }
  }
}

module.exports.solve = function solve() {
  const chunk = Buffer.from('A'.repeat(1024 * 1024 - 1) + '\n');
  for (let i = 0; i < 1024; i++) writeAll(chunk);
  return 42;
};
