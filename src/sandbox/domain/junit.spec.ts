import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { countTests, decideStatus, decodeXmlText, JUnitParseError, parseJUnitXml, TestCaseResult } from './junit';

const fixture = (name: string) => readFileSync(path.join(__dirname, '__fixtures__', name));
const jestNoise = /^\s+at (.*node_modules\/(jest-[a-z-]+|@jest\/[a-z-]+|@swc\/[a-z-]+)\/|new Promise \(<anonymous>\))/;

describe('parseJUnitXml', () => {
  it('reads a pytest report in file order with statuses, messages and durations', () => {
    const tests = parseJUnitXml(fixture('pytest-junit.xml'));
    expect(tests.map((t) => [t.suite, t.name, t.status])).toEqual([
      ['test_sample', 'test_pass', 'passed'],
      ['test_sample', 'test_fail', 'failed'],
      ['test_sample', 'test_error', 'error'],
      ['test_sample', 'test_skip', 'skipped'],
      ['test_sample', 'test_xfail', 'skipped'],
      ['test_sample.TestCase', 'test_unit_fail', 'failed'],
      ['test_sample.TestCase', 'test_unit_ok', 'passed'],
    ]);
    const fail = tests[1];
    expect(fail.message).toContain('AssertionError: lists differ');
    expect(fail.message).toContain('At index 1 diff: 2 != 3');
    expect(fail.durationMs).toBe(1);
    expect(tests[2].message).toContain('RuntimeError: fixture <broke> & failed');
    expect(tests[3].message).toContain('not today');
    expect(countTests(tests)).toEqual({ total: 7, passed: 2, failed: 2, errors: 1, skipped: 2 });
  });

  it('reads a jest-junit report, merging the duplicate entries of a suite that failed to run', () => {
    const tests = parseJUnitXml(fixture('jest-junit.xml'), { noiseLines: jestNoise });
    expect(tests.map((t) => [t.name, t.status])).toEqual([
      ['math <ops> › adds & more', 'passed'],
      ['math <ops> › fails', 'failed'],
      ['math <ops> › skipped', 'skipped'],
      ['math <ops> › todo one', 'passed'],
      ['top level', 'passed'],
      ['broken.test.js', 'error'],
    ]);
    expect(tests[0].file).toBe('sample.test.ts');
    expect(tests[1].message).toContain('"a": 2');
    expect(tests[1].message).toContain('at Object.toEqual (/work/code/sample.test.ts:4:40)');
    expect(tests[1].message).not.toContain('jest-circus');
    expect(tests[1].message).not.toContain('new Promise');
    expect(tests[5].message).toContain("Cannot find module './does-not-exist'");
  });

  it('caps long messages', () => {
    const xml = `<testsuite><testcase name="t"><failure message="${'x'.repeat(5000)}"/></testcase></testsuite>`;
    const [t] = parseJUnitXml(xml, { maxMessageChars: 100 });
    expect(t.message!.length).toBeLessThan(150);
    expect(t.message).toMatch(/… \[4900 more characters\]$/);
  });

  it('reads nested suites and CDATA without decoding entities inside CDATA', () => {
    const xml = `<?xml version="1.0"?><testsuites><testsuite name="outer"><testsuite name="inner" file="a.py">
      <testcase classname="c" name="first" time="1.5"><failure><![CDATA[raw &lt; kept <b>]]></failure></testcase>
      </testsuite><testcase classname="c" name="second" time="1,234.5"/></testsuite></testsuites>`;
    const tests = parseJUnitXml(xml);
    expect(tests.map((t) => t.name)).toEqual(['first', 'second']);
    expect(tests[0]).toMatchObject({ file: 'a.py', status: 'failed', message: 'raw &lt; kept <b>', durationMs: 1500 });
    expect(tests[1].durationMs).toBe(1234500); // thousands separators (some reporters)
  });

  it('refuses DTDs and entity declarations (billion laughs, XXE)', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><testsuite><testcase name="&lol2;"/></testsuite>`;
    expect(() => parseJUnitXml(lol)).toThrow(JUnitParseError);
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><testsuite><testcase name="&xxe;"/></testsuite>`;
    expect(() => parseJUnitXml(xxe)).toThrow(/DTD/);
  });

  it('leaves unknown entities undecoded instead of expanding them', () => {
    const [t] = parseJUnitXml('<testsuite><testcase name="a &amp; b &foo; &#65;&#x42;"/></testsuite>');
    expect(t.name).toBe('a & b &foo; AB');
  });

  it('rejects malformed, empty, oversized and rootless reports', () => {
    expect(() => parseJUnitXml('<testsuite><testcase name="x"></testsuite>')).toThrow(/well-formed/);
    expect(() => parseJUnitXml('   ')).toThrow(/empty/);
    expect(() => parseJUnitXml('<html/>')).toThrow(/testsuite/);
    expect(() =>
      parseJUnitXml(`<testsuite>${Array.from({ length: 10 }, (_, i) => `<testcase name="t${i}"/>`).join('')}</testsuite>`, { maxTests: 5 }),
    ).toThrow(/more than 5 tests/);
    expect(() => parseJUnitXml('<testsuite/>'.padEnd(2000, ' '), { maxBytes: 1000 })).toThrow(/bytes/);
  });
});

describe('decodeXmlText', () => {
  it('decodes only predefined entities and valid character references', () => {
    expect(decodeXmlText('&lt;&gt;&amp;&quot;&apos;&#10;&#x1F600;&#xD800;&nbsp;')).toBe('<>&"\'\n😀\uFFFD&nbsp;');
  });
});

describe('decideStatus', () => {
  const t = (status: TestCaseResult['status']): TestCaseResult => ({
    name: status,
    suite: '',
    file: null,
    status,
    message: null,
    durationMs: 0,
  });
  const ok = (tests: TestCaseResult[]) => ({ ok: true as const, tests });

  it('passes when every test passed or was skipped and the command exited 0', () => {
    expect(decideStatus({ oomKilled: false, exitCode: 0, report: ok([t('passed'), t('skipped')]) }).status).toBe('passed');
  });
  it('fails when a test failed or errored', () => {
    expect(decideStatus({ oomKilled: false, exitCode: 1, report: ok([t('passed'), t('failed')]) })).toEqual({
      status: 'failed',
      reason: '1 of 2 tests did not pass',
    });
    expect(decideStatus({ oomKilled: false, exitCode: 1, report: ok([t('error')]) }).status).toBe('failed');
  });
  it('is an error without a report, with no tests, or with a non-zero exit and no failure', () => {
    expect(decideStatus({ oomKilled: false, exitCode: 1, report: { ok: false, problem: 'no report' } })).toEqual({
      status: 'error',
      reason: 'no report',
    });
    expect(decideStatus({ oomKilled: false, exitCode: 5, report: ok([]) }).status).toBe('error');
    expect(decideStatus({ oomKilled: false, exitCode: 3, report: ok([t('passed')]) }).status).toBe('error');
  });
  it('reports the resource that ran out, memory first', () => {
    expect(decideStatus({ oomKilled: true, killedFor: 'timeout', exitCode: null, report: ok([]) }).status).toBe('memory_exceeded');
    expect(decideStatus({ oomKilled: false, killedFor: 'timeout', exitCode: null, report: ok([t('passed')]) }).status).toBe('timeout');
    expect(decideStatus({ oomKilled: false, killedFor: 'output_exceeded', exitCode: null, report: ok([]) }).status).toBe('output_exceeded');
  });
});
