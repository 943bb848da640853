import { candidateView, couldNotRun, hiddenTerms, scrub, StoredResult } from './candidate-view';
import { median, summarizeFeedback } from './feedback';
import { decideSubmission, describeMinutes, stripProjectRoot, validIdempotencyKey } from './policy';
import { decidePublish } from './publish-check';
import { hashPortalToken, looksLikePortalToken, newPortalToken } from './tokens';

describe('feedback summary', () => {
  it('is empty and unflagged without feedback', () => {
    expect(summarizeFeedback([], 120)).toEqual({
      count: 0,
      meanClarity: null,
      medianMinutes: null,
      shareOverGuidance: null,
      timeGuidanceMinutes: 120,
      flagged: false,
    });
  });
  it('computes mean clarity, median minutes and the share over the guidance', () => {
    const s = summarizeFeedback(
      [
        { clarity: 5, minutesSpent: 90 },
        { clarity: 4, minutesSpent: 150 },
        { clarity: 2, minutesSpent: 200 },
      ],
      120,
    );
    expect(s).toEqual({
      count: 3,
      meanClarity: 3.67,
      medianMinutes: 150,
      shareOverGuidance: 0.67,
      timeGuidanceMinutes: 120,
      flagged: true,
    });
  });
  it('flags only when the median is strictly over the guidance', () => {
    expect(summarizeFeedback([{ clarity: 3, minutesSpent: 120 }], 120).flagged).toBe(false);
    expect(
      summarizeFeedback(
        [
          { clarity: 3, minutesSpent: 100 },
          { clarity: 3, minutesSpent: 141 },
        ],
        120,
      ),
    ).toMatchObject({ medianMinutes: 120.5, flagged: true });
  });
  it('median of even and odd lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('resubmission policy', () => {
  const now = new Date('2030-01-10T12:00:00Z');
  const expiresAt = new Date('2030-01-11T12:00:00Z');
  it('refuses everything after the deadline', () => {
    expect(decideSubmission({ policy: 'until_deadline', now: expiresAt, expiresAt, previous: [] })).toMatchObject({
      ok: false,
      code: 'expired',
    });
  });
  it('until_deadline accepts uploads after grading', () => {
    expect(decideSubmission({ policy: 'until_deadline', now, expiresAt, previous: [{ status: 'graded' }] })).toEqual({ ok: true });
  });
  it('until_first_graded refuses after grading', () => {
    expect(decideSubmission({ policy: 'until_first_graded', now, expiresAt, previous: [] })).toEqual({ ok: true });
    expect(
      decideSubmission({ policy: 'until_first_graded', now, expiresAt, previous: [{ status: 'queued' }, { status: 'graded' }] }),
    ).toMatchObject({ ok: false, code: 'already_graded' });
  });
  it('one upload at a time: a second one waits until the first is graded, under either policy', () => {
    for (const policy of ['until_deadline', 'until_first_graded'] as const) {
      for (const status of ['queued', 'grading'] as const) {
        expect(decideSubmission({ policy, now, expiresAt, previous: [{ status }] })).toMatchObject({
          ok: false,
          code: 'grading_in_progress',
          message: expect.stringMatching(/still being graded/),
        });
      }
    }
  });
  it('a link takes at most 10 uploads an hour (429 with when to retry) and a total of 20 times the cap', () => {
    const at = (minAgo: number) => ({ status: 'graded' as const, createdAt: new Date(now.getTime() - minAgo * 60_000), sizeBytes: 1000 });
    const ten = Array.from({ length: 10 }, (_, i) => at(50 - i));
    const limited = decideSubmission({ policy: 'until_deadline', now, expiresAt, previous: ten });
    expect(limited).toMatchObject({ ok: false, code: 'rate_limited', httpStatus: 429, retryAfterSeconds: 600 });
    expect(decideSubmission({ policy: 'until_deadline', now, expiresAt, previous: [at(70), ...ten.slice(1)] })).toEqual({ ok: true });
    const quota = decideSubmission({
      policy: 'until_deadline',
      now,
      expiresAt,
      previous: [at(120), at(90)],
      maxSubmissionBytes: 100,
      incomingBytes: 1,
    });
    expect(quota).toMatchObject({ ok: false, code: 'byte_quota_reached', message: expect.stringMatching(/2 KB allowed/) });
    expect(
      decideSubmission({ policy: 'until_deadline', now, expiresAt, previous: [at(120)], maxSubmissionBytes: 100, incomingBytes: 1000 }),
    ).toEqual({ ok: true });
  });
});

describe('helpers', () => {
  it('describes minutes', () => {
    expect(describeMinutes(120)).toBe('2 hours');
    expect(describeMinutes(90)).toBe('1 hour 30 minutes');
    expect(describeMinutes(45)).toBe('45 minutes');
  });
  it('validates idempotency keys', () => {
    expect(validIdempotencyKey('abc-123')).toBe(true);
    expect(validIdempotencyKey('')).toBe(false);
    expect(validIdempotencyKey('a b')).toBe(false);
    expect(validIdempotencyKey('x'.repeat(201))).toBe(false);
  });
  it('drops a wrapping project folder but keeps one the assignment layout uses', () => {
    const files = [{ path: 'me/src/a.js' }, { path: 'me/README.md' }];
    expect(stripProjectRoot(files, ['src', 'README.md']).map((f) => f.path)).toEqual(['src/a.js', 'README.md']);
    const onlySrc = [{ path: 'src/a.js' }, { path: 'src/a.test.js' }];
    expect(stripProjectRoot(onlySrc, ['src', 'README.md']).map((f) => f.path)).toEqual(['src/a.js', 'src/a.test.js']);
    expect(stripProjectRoot(onlySrc, []).map((f) => f.path)).toEqual(['a.js', 'a.test.js']);
    expect(stripProjectRoot([{ path: 'a.js' }, { path: 'x/b.js' }], []).map((f) => f.path)).toEqual(['a.js', 'x/b.js']);
  });
  it('makes unguessable tokens and hashes them', () => {
    const a = newPortalToken();
    expect(looksLikePortalToken(a)).toBe(true);
    expect(a).not.toBe(newPortalToken());
    expect(hashPortalToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(looksLikePortalToken('../../etc/passwd')).toBe(false);
  });
});

describe('publish gate', () => {
  const t = (name: string, status: string, message: string | null = null) => ({ name, status, message });
  it('publishes only when every test passed', () => {
    expect(decidePublish({ status: 'passed', reason: null, tests: [t('a', 'passed')], counts: { total: 1, passed: 1 } })).toEqual({
      ok: true,
    });
  });
  it('lists failing tests with their messages', () => {
    const d = decidePublish({
      status: 'failed',
      reason: '1 of 2',
      tests: [t('a', 'passed'), t('b', 'failed', 'expected 2')],
      counts: { total: 2, passed: 1 },
    });
    expect(d).toMatchObject({ ok: false, failingTests: [{ name: 'b', status: 'failed', message: 'expected 2' }] });
  });
  it('refuses skipped tests, empty runs and timeouts', () => {
    expect(
      decidePublish({ status: 'passed', reason: null, tests: [t('a', 'passed'), t('s', 'skipped')], counts: { total: 2, passed: 1 } }).ok,
    ).toBe(false);
    expect(decidePublish({ status: 'error', reason: 'no tests', tests: [], counts: { total: 0, passed: 0 } })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no test/),
    });
    expect(decidePublish({ status: 'timeout', reason: 'deadline', tests: [], counts: { total: 0, passed: 0 } }).ok).toBe(false);
  });
});

describe('what the candidate sees', () => {
  const hidden = ['hidden/wordfreq.hidden.test.js'];
  const ran: StoredResult = {
    status: 'failed',
    reason: '1 of 2',
    total: 2,
    passed: 1,
    failed: 1,
    errors: 0,
    tests: [
      { name: 'topWords › secret tie case', status: 'failed', message: 'expected x', file: hidden[0] },
      { name: 'mine', status: 'passed', message: null },
    ],
  };
  const broken: StoredResult = {
    status: 'failed',
    reason: '1 of 1',
    total: 1,
    passed: 0,
    failed: 1,
    errors: 1,
    tests: [
      {
        name: 'hidden/wordfreq.hidden.test.js',
        status: 'error',
        message: "SyntaxError: Unexpected token (3:1)\nCannot find module '../src/wordfreq' from 'hidden/wordfreq.hidden.test.js'",
        file: hidden[0],
      },
    ],
  };
  it('status_only shows received and graded, nothing else', () => {
    expect(candidateView('queued', null, 'status_only', hidden)).toEqual({ status: 'received' });
    expect(candidateView('grading', null, 'status_only', hidden)).toEqual({ status: 'received' });
    expect(candidateView('graded', ran, 'status_only', hidden)).toEqual({ status: 'graded' });
  });
  it('summary says the code ran, without any hidden test name or count', () => {
    const v = candidateView('graded', ran, 'summary', hidden);
    expect(v).toEqual({ status: 'graded', outcome: 'ran', yourTests: null, examples: [] });
  });
  it('summary names the kind of load problem, never the text the hidden run printed', () => {
    expect(couldNotRun(broken)).toBe(true);
    const v = candidateView('graded', broken, 'summary', hidden);
    expect(v.outcome).toBe('could_not_run');
    expect(v.buildError).toBe('The tests could not load your code: a syntax error: one of your files does not compile.');
    // A submission that reads the hidden tests and throws them (encoded) gets none of it back.
    const secret = Buffer.from("test('counts words regardless of case', () => {").toString('base64');
    const leak = candidateView(
      'graded',
      { ...broken, tests: [{ name: 'x', status: 'error', message: `Error: ${secret}`, file: hidden[0] }] },
      'summary',
      hidden,
    );
    expect(leak.buildError).toBe('The tests could not run your code (it stopped before the tests could report).');
    expect(JSON.stringify(leak)).not.toContain(secret);
  });
  it('a tampered run says so in plain words; messages come only from the run without hidden tests', () => {
    const v = candidateView('graded', { ...broken, status: 'error', integrity: { tampered: true } }, 'summary', hidden);
    expect(v.buildError).toMatch(/^The test run ended in a way our checks could not trust/);
    const own = {
      status: 'failed',
      tests: [
        { name: 'my test', status: 'passed', message: null, file: 'src/mine.test.js' },
        { name: 'my other test', status: 'failed', message: 'nope', file: 'src/mine.test.js' },
        { name: 'example › counts words', status: 'failed', message: 'Expected 2, received 1', file: 'examples/wordfreq.test.js' },
        {
          name: 'my broken file',
          status: 'error',
          message: 'SyntaxError: Unexpected token (3:1)\n  3 | const x = ;',
          file: 'src/broken.test.js',
        },
      ],
    };
    const w = candidateView('graded', { ...broken, ownTests: own }, 'summary', [...hidden, 'examples/wordfreq.test.js']);
    expect(w.yourTests).toEqual({ total: 3, passed: 1 });
    expect(w.examples).toEqual([{ name: 'example › counts words', status: 'failed', message: 'Expected 2, received 1' }]);
    expect(w.buildError).toContain('From the run of your own tests and the examples:\nSyntaxError: Unexpected token (3:1)');
    expect(w.buildError).not.toContain('const x');
  });
  it('old results with quoted source still never show hidden test code', () => {
    const jest =
      "● Test suite failed to run\n\n    Cannot find module '../src/wordfreq' from 'hidden/wordfreq.hidden.test.js'\n\n      3 | describe('topWords', () => {\n      4 |   test('counts words regardless of case', () => {";
    const py =
      "ImportError while importing test module '/work/code/test_roman_hidden.py'.\nTraceback:\ntest_roman_hidden.py:2: in <module>\n    from roman import to_roman\nE   ModuleNotFoundError: No module named 'roman'";
    const v = candidateView(
      'graded',
      { ...broken, tests: [{ name: 'hidden/wordfreq.hidden.test.js', status: 'error', message: jest }] },
      'summary',
      hidden,
    );
    expect(v.buildError).toBe(
      'The tests could not load your code: a missing module: a file the tests import is not in your upload (check names and folders).',
    );
    const p = candidateView('graded', { ...broken, tests: [{ name: 'test_roman_hidden', status: 'error', message: py }] }, 'summary', [
      'test_roman_hidden.py',
    ]);
    expect(p.buildError).not.toMatch(/from roman import|test_roman_hidden/);
  });

  it('explains a timeout', () => {
    const v = candidateView('graded', { ...broken, status: 'timeout', tests: [], limits: { timeoutMs: 30000 } }, 'summary', hidden);
    expect(v.buildError).toMatch(/did not finish within 30 seconds/);
  });
  it('scrubs longest terms first', () => {
    expect(scrub('at hidden/x.test.js line 3', hiddenTerms(['hidden/x.test.js'], []))).toBe('at [hidden test] line 3');
  });
});
