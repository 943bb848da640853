// Fixed Jest configuration of the node sandbox, baked into the image read-only.
// Nothing here is read from the submission; the host also drops submitted files that Jest,
// SWC or jest-junit would otherwise consult (package.json, jest.config.*, .swcrc, babel configs).
'use strict';
const path = require('path');

const modules = path.join(__dirname, 'node_modules');
const swc = (syntax) => [
  path.join(modules, '@swc', 'jest'),
  {
    swcrc: false,
    configFile: false,
    sourceMaps: 'inline',
    jsc: {
      parser: syntax === 'typescript' ? { syntax: 'typescript', tsx: true } : { syntax: 'ecmascript', jsx: true },
      target: 'es2021',
      transform: { react: { runtime: 'classic' } },
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  rootDir: '/work/code',
  roots: ['<rootDir>'],
  testEnvironment: 'node',
  testMatch: ['**/__tests__/**/*.[jt]s?(x)', '**/?(*.)+(spec|test).[jt]s?(x)'],
  testPathIgnorePatterns: ['/node_modules/'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'jsx', 'cjs', 'json'],
  transform: {
    '^.+\\.(ts|tsx)$': swc('typescript'),
    '^.+\\.(js|jsx|cjs)$': swc('ecmascript'),
  },
  // Tests may import @jest/globals; nothing else is installed.
  modulePaths: [modules],
  watchman: false,
  // Crawl /work/code with Node's fs API instead of spawning `find` (two fewer processes per run).
  haste: { forceNodeFilesystemAPI: true },
  cache: true,
  cacheDirectory: '/tmp/jest-cache',
  collectCoverage: false,
  testTimeout: 10000,
  reporters: [
    'default',
    [
      path.join(modules, 'jest-junit'),
      {
        outputDirectory: '/work/out',
        outputName: 'junit.xml',
        suiteName: 'jest',
        suiteNameTemplate: '{filepath}',
        classNameTemplate: '{filepath}',
        titleTemplate: (v) => (v.classname ? `${v.classname} › ${v.title}` : v.title),
        ancestorSeparator: ' › ',
        addFileAttribute: 'true',
        reportTestSuiteErrors: 'true',
        // jest-junit would otherwise require() property files from the working directory.
        testCasePropertiesDirectory: __dirname,
        testSuitePropertiesDirectory: __dirname,
      },
    ],
  ],
};
