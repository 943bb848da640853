// Would make Jest find no tests and report nothing.
module.exports = { testMatch: ['**/nothing-here'], reporters: [], passWithNoTests: true };
