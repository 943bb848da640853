// Jest configuration of a graded run split in two users (see sandboxes/README.md, "Threat model"):
// the hidden tests in /work/tests run here, as the grader; the submission's modules they import
// run in the candidate's harness (bridge/harness.js), reached through bridge/resolver.js.
'use strict';
const path = require('path');
const base = require('./jest.config.js');

const tmp = process.env.TMPDIR || '/tmp/grader';
module.exports = {
  ...base,
  rootDir: process.env.SANDBOX_TESTS_DIR || '/work/tests',
  roots: ['<rootDir>'],
  testEnvironment: path.join(__dirname, 'bridge', 'environment.js'),
  resolver: path.join(__dirname, 'bridge', 'resolver.js'),
  cacheDirectory: path.join(tmp, 'jest-cache'),
  // The bridge's own files are plain CommonJS.
  transformIgnorePatterns: ['/node_modules/', '^/opt/runner/'],
};
