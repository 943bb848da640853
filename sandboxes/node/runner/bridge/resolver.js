// Module resolution of the grader: the hidden tests live in /work/tests, the submission in
// /work/code. A relative import a test makes that does not exist among the tests is looked up at
// the same place in the submission; the test gets a stub that loads it through the bridge (the
// module itself runs in the candidate's harness, never in the grader).
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const TESTS = process.env.SANDBOX_TESTS_DIR || '/work/tests';
const CODE = process.env.SANDBOX_CODE_DIR || '/work/code';
const STUBS = path.join(process.env.TMPDIR || '/tmp', 'bridge-stubs');
const CLIENT = path.join(__dirname, 'client.js');

module.exports = (request, options) => {
  try {
    return options.defaultResolver(request, options);
  } catch (e) {
    const base = options.basedir || '';
    if (!(base === TESTS || base.startsWith(TESTS + '/')) || !(request.startsWith('.') || request.startsWith('/'))) throw e;
    let target;
    try {
      target = options.defaultResolver(request, { ...options, basedir: CODE + base.slice(TESTS.length) });
    } catch {
      throw e;
    }
    if (!target.startsWith(CODE + '/')) throw e;
    const stub = path.join(STUBS, crypto.createHash('sha1').update(target).digest('hex') + '.js');
    if (!fs.existsSync(stub)) {
      fs.mkdirSync(STUBS, { recursive: true, mode: 0o700 });
      fs.writeFileSync(stub, `module.exports = require(${JSON.stringify(CLIENT)}).load(${JSON.stringify(target)});\n`);
    }
    return stub;
  }
};
