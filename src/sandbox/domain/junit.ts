import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * JUnit XML report → per-test results, and the overall status of a sandbox run.
 * Pure: no Docker, no Nest. The XML comes from inside the sandbox, so it is hostile input:
 * no DTD or entity declarations are accepted, only the five predefined entities and numeric
 * character references are decoded, and sizes are capped.
 */

export type TestStatus = 'passed' | 'failed' | 'error' | 'skipped';
export type RunStatus = 'passed' | 'failed' | 'error' | 'timeout' | 'memory_exceeded' | 'output_exceeded';

export interface TestCaseResult {
  /** The test's name (Jest: "describe › test"; pytest: the function name). */
  name: string;
  /** The testcase's classname (Jest: the file; pytest: module.Class). */
  suite: string;
  /** Source file when the report names it. */
  file: string | null;
  status: TestStatus;
  /** Failure/error/skip message, capped. */
  message: string | null;
  durationMs: number | null;
}

export interface TestCounts {
  total: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
}

export interface ParseOptions {
  /** Max characters kept per message (default 2048). */
  maxMessageChars?: number;
  /** Max test cases kept (default 5000); more make the report invalid. */
  maxTests?: number;
  /** Max report size in bytes (default 8 MiB). */
  maxBytes?: number;
  /** Lines dropped from messages (e.g. stack frames inside the test runner itself). */
  noiseLines?: RegExp;
}

export class JUnitParseError extends Error {}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes only XML's predefined entities and numeric character references. */
export function decodeXmlText(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (m, ref: string) => {
    if (ref[0] !== '#') return PREDEFINED[ref];
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\uFFFD';
  });
}

export function capText(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, max)}… [${s.length - max} more characters]`;
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
});

function tagOf(node: OrderedNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@');
}

function children(node: OrderedNode): OrderedNode[] {
  const tag = tagOf(node);
  const value = tag ? node[tag] : undefined;
  return Array.isArray(value) ? (value as OrderedNode[]) : [];
}

function textOf(node: OrderedNode): string {
  let out = '';
  for (const child of children(node)) {
    const tag = tagOf(child);
    if (tag === '#text') out += decodeXmlText(String(child['#text'] ?? ''));
    else if (tag === '#cdata')
      out += children(child)
        .map((c) => String(c['#text'] ?? ''))
        .join('');
  }
  return out;
}

const attr = (node: OrderedNode, name: string): string | undefined => {
  const v = node[':@']?.[name];
  return v === undefined ? undefined : decodeXmlText(String(v));
};

function durationOf(node: OrderedNode): number | null {
  const t = attr(node, 'time');
  if (t === undefined) return null;
  const seconds = Number(t.replace(/,/g, ''));
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : null;
}

function messageOf(node: OrderedNode, max: number, noise?: RegExp): string | null {
  const clean = (s: string) =>
    (noise
      ? s
          .split('\n')
          .filter((l) => !noise.test(l))
          .join('\n')
      : s
    ).trim();
  const a = clean(attr(node, 'message') ?? '');
  const t = clean(textOf(node));
  let msg: string;
  if (a && t) msg = t.includes(a) ? t : `${a}\n${t}`;
  else msg = a || t;
  return msg ? capText(msg, max) : null;
}

/** Parses a JUnit XML report (Jest's jest-junit, pytest's --junitxml, and the common dialects). */
export function parseJUnitXml(input: string | Buffer, options: ParseOptions = {}): TestCaseResult[] {
  const maxMessage = options.maxMessageChars ?? 2048;
  const maxTests = options.maxTests ?? 5000;
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (size > maxBytes) throw new JUnitParseError(`the test report is ${size} bytes, more than the ${maxBytes} allowed`);
  const xml = (typeof input === 'string' ? input : input.toString('utf8')).replace(/^\uFEFF/, '');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new JUnitParseError('the test report declares a DTD or entities, which is not allowed');
  if (!xml.trim()) throw new JUnitParseError('the test report is empty');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new JUnitParseError(`the test report is not well-formed XML (${valid.err.msg}, line ${valid.err.line})`);
  }
  let doc: OrderedNode[];
  try {
    doc = parser.parse(xml) as OrderedNode[];
  } catch (e) {
    throw new JUnitParseError(`the test report could not be read: ${(e as Error).message}`);
  }
  const root = doc.find((n) => {
    const t = tagOf(n);
    return t === 'testsuites' || t === 'testsuite';
  });
  if (!root) throw new JUnitParseError('the test report has no <testsuites> or <testsuite> element');

  const tests: TestCaseResult[] = [];
  const visit = (node: OrderedNode, fileFromSuite: string | null) => {
    for (const child of children(node)) {
      const tag = tagOf(child);
      if (tag === 'testsuite' || tag === 'testsuites') {
        visit(child, attr(child, 'file') ?? fileFromSuite);
      } else if (tag === 'testcase') {
        if (tests.length >= maxTests) throw new JUnitParseError(`the test report has more than ${maxTests} tests`);
        const test = testCaseOf(child, fileFromSuite, maxMessage, options.noiseLines);
        const prev = tests[tests.length - 1];
        // Some reporters write one test twice (jest-junit for a suite that failed to run,
        // pytest for a teardown error): keep one entry with the worse status.
        if (prev && prev.name === test.name && prev.suite === test.suite && prev.file === test.file) {
          if (RANK[test.status] > RANK[prev.status]) tests[tests.length - 1] = { ...test, durationMs: prev.durationMs ?? test.durationMs };
          continue;
        }
        tests.push(test);
      }
    }
  };
  if (tagOf(root) === 'testsuite') visit({ wrapper: [root] } as OrderedNode, null);
  else visit(root, null);
  return tests;
}

const RANK: Record<TestStatus, number> = { passed: 0, skipped: 1, failed: 2, error: 3 };

function testCaseOf(node: OrderedNode, fileFromSuite: string | null, maxMessage: number, noise?: RegExp): TestCaseResult {
  let status: TestStatus = 'passed';
  let detail: OrderedNode | undefined;
  for (const child of children(node)) {
    const tag = tagOf(child);
    if (tag === 'failure' && status !== 'failed') {
      status = 'failed';
      detail = child;
    } else if (tag === 'error' && status !== 'failed' && status !== 'error') {
      status = 'error';
      detail = child;
    } else if (tag === 'skipped' && status === 'passed') {
      status = 'skipped';
      detail = child;
    }
  }
  return {
    name: capText(attr(node, 'name') ?? '(unnamed test)', 500),
    suite: capText(attr(node, 'classname') ?? '', 500),
    file: attr(node, 'file') ?? fileFromSuite,
    status,
    message: detail ? messageOf(detail, maxMessage, noise) : null,
    durationMs: durationOf(node),
  };
}

export function countTests(tests: readonly TestCaseResult[]): TestCounts {
  const c: TestCounts = { total: tests.length, passed: 0, failed: 0, errors: 0, skipped: 0 };
  for (const t of tests) {
    if (t.status === 'passed') c.passed++;
    else if (t.status === 'failed') c.failed++;
    else if (t.status === 'error') c.errors++;
    else c.skipped++;
  }
  return c;
}

export interface RunFacts {
  /** The host killed the run for this reason. */
  killedFor?: 'timeout' | 'output_exceeded';
  /** The kernel OOM-killed a process in the sandbox. */
  oomKilled: boolean;
  /** Exit code of the test command (null when it never finished). */
  exitCode: number | null;
  /** Parsed tests, or why there are none. */
  report: { ok: true; tests: TestCaseResult[] } | { ok: false; problem: string };
}

/** The overall status of a run and a one-line reason for anything but `passed`. */
export function decideStatus(f: RunFacts): { status: RunStatus; reason: string | null } {
  if (f.oomKilled) return { status: 'memory_exceeded', reason: 'a process in the sandbox ran out of its memory limit and was killed' };
  if (f.killedFor === 'timeout') return { status: 'timeout', reason: 'the tests did not finish before the wall-clock deadline' };
  if (f.killedFor === 'output_exceeded') return { status: 'output_exceeded', reason: 'the tests wrote more output than allowed' };
  if (!f.report.ok) return { status: 'error', reason: f.report.problem };
  const counts = countTests(f.report.tests);
  if (counts.total === 0) return { status: 'error', reason: 'the test run reported no tests' };
  if (counts.failed + counts.errors > 0) {
    return { status: 'failed', reason: `${counts.failed + counts.errors} of ${counts.total} tests did not pass` };
  }
  if (f.exitCode !== 0) {
    return { status: 'error', reason: `the test command exited with code ${f.exitCode} although no test failed` };
  }
  return { status: 'passed', reason: null };
}
