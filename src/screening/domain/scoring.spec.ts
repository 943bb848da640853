import {
  ScreeningForm,
  damerauLevenshtein,
  matchAnswer,
  normalizeAnswer,
  scoreScreening,
  singularize,
  tokenize,
  typoAllowance,
} from './scoring';

describe('normalizeAnswer', () => {
  it.each([
    ['Web Browsers!', 'web browser'],
    ['  the   WEB-browsers  ', 'web browser'],
    ['A web browser.', 'web browser'],
    ['An API', 'api'],
    ['Loops', 'loop'],
    ['“loops”', 'loop'],
    ['Café Crème', 'cafe creme'],
    ['Ｗｅｂ Ｂｒｏｗｓｅｒｓ', 'web browser'],
    ["Don't know", 'dont know'],
    ['Domain-Name-System (DNS)', 'domain name system dns'],
    ['classes & queries', 'class query'],
    ['CSS / DNS', 'css dns'],
    ['the', ''],
    ['', ''],
    ['?!...', ''],
    ['HTTP/2 protocols', 'http 2 protocol'],
  ])('%p -> %p', (input, expected) => {
    expect(normalizeAnswer(input)).toBe(expected);
  });

  it('tokenize returns the normalized tokens', () => {
    expect(tokenize('The Web, the browsers')).toEqual(['web', 'browser']);
  });
});

describe('singularize', () => {
  it.each([
    ['browsers', 'browser'],
    ['loops', 'loop'],
    ['classes', 'class'],
    ['queries', 'query'],
    ['libraries', 'library'],
    ['databases', 'database'],
    ['protocols', 'protocol'],
    ['matches', 'match'],
    ['boxes', 'box'],
    ['hashes', 'hash'],
    ['processes', 'process'],
    ['addresses', 'address'],
    ['services', 'service'],
    ['keys', 'key'],
    ['caches', 'cache'],
    ['cookies', 'cookie'],
    ['statuses', 'status'],
    ['indices', 'index'],
    ['is', 'is'],
    ['has', 'has'],
    ['css', 'css'],
    ['dns', 'dns'],
    ['does', 'does'],
    ['this', 'this'],
    ['status', 'status'],
    ['analysis', 'analysis'],
    ['class', 'class'],
    ['kubernetes', 'kubernetes'],
    ['series', 'series'],
    ['browser', 'browser'],
  ])('%p -> %p', (w, expected) => expect(singularize(w)).toBe(expected));
});

describe('damerauLevenshtein / typoAllowance', () => {
  it.each([
    ['browser', 'browser', 0],
    ['broswer', 'browser', 1], // transposition
    ['browsr', 'browser', 1],
    ['loot', 'loop', 1],
    ['', 'abc', 3],
    ['server', 'browser', 5],
    ['system', 'server', 4],
  ])('%p vs %p = %p', (a, b, d) => {
    expect(damerauLevenshtein(a, b)).toBe(d);
    expect(damerauLevenshtein(b, a)).toBe(d);
  });

  it.each([
    ['loop', 0],
    ['web', 0],
    ['query', 1],
    ['browser', 1],
    ['database', 1],
    ['protocol', 1],
    ['programming', 2],
  ])('allowance for %p is %p', (w, n) => expect(typoAllowance(w)).toBe(n));
});

const BROWSERS = { canonical: 'web browsers', accepted: [] as string[] };
const LOOPS = { canonical: 'loops', accepted: [] as string[] };
const DNS = { canonical: 'Domain Name System', accepted: [] as string[] };
const DNS_V = { canonical: 'Domain Name System', accepted: ['Domain Name System (DNS)'] };
const PROTOCOLS = { canonical: 'protocols', accepted: ['network protocols'] };
const DATABASES = { canonical: 'databases', accepted: ['relational databases', 'RDBMS'] };
const LANGS = { canonical: 'programming languages', accepted: ['coding languages'] };

type Q = { canonical: string; accepted: string[] };
const table: Array<[string, Q, boolean, string]> = [
  // web browsers
  ['web browsers', BROWSERS, true, 'exact'],
  ['Web browsers!', BROWSERS, true, 'case and punctuation'],
  ['web browser', BROWSERS, true, 'singular'],
  ['browsers', BROWSERS, true, 'head noun alone'],
  ['browser', BROWSERS, true, 'singular head noun alone'],
  ['A web browser', BROWSERS, true, 'article dropped'],
  ['the Browsers.', BROWSERS, true, 'article + punctuation'],
  ['WEB-BROWSERS', BROWSERS, true, 'hyphenated'],
  ['webbrowsers', BROWSERS, true, 'same letters, no space'],
  ['browsers web', BROWSERS, true, 'token order ignored'],
  ['web browsers, web browsers', BROWSERS, true, 'repetition ignored'],
  ['Wéb browsers', BROWSERS, true, 'diacritics'],
  ['broswers', BROWSERS, true, 'transposition typo in a 7-letter word'],
  ['web browsr', BROWSERS, true, 'one deletion'],
  ['web', BROWSERS, false, 'qualifier alone is not the head noun'],
  ['web server', BROWSERS, false, 'near miss: different head noun'],
  ['web servers', BROWSERS, false, 'near miss plural'],
  ['databases', BROWSERS, false, 'wrong category'],
  ['firefox', BROWSERS, false, 'an example, not the category'],
  ['a browser like chrome', BROWSERS, false, 'extra words are a miss'],
  ['wbe browsers', BROWSERS, false, 'typo in a 3-letter word: exact only'],
  ['bowsers', BROWSERS, true, 'one missing letter in browser'],
  ['brewers', BROWSERS, false, 'two edits in a 7-letter word'],
  ['', BROWSERS, false, 'empty'],
  ['   ', BROWSERS, false, 'whitespace'],
  ['the', BROWSERS, false, 'only an article'],
  // loops
  ['loops', LOOPS, true, 'exact'],
  ['loop', LOOPS, true, 'singular'],
  ['Loops.', LOOPS, true, 'punctuation'],
  ['loot', LOOPS, false, '4-letter word: no typo allowed (loot is a different word)'],
  ['lops', LOOPS, false, 'typo in a 4-letter word'],
  ['for loops', LOOPS, false, 'extra word'],
  ['iterators', LOOPS, false, 'different word'],
  // DNS (3 tokens: all required)
  ['Domain Name System', DNS, true, 'exact'],
  ['domain name system', DNS, true, 'lowercase'],
  ['the Domain Name Systems', DNS, true, 'article + plural'],
  ['domain-name-system', DNS, true, 'hyphens'],
  ['system name domain', DNS, true, 'order ignored'],
  ['domian name system', DNS, true, 'transposition in domain'],
  ['Domain Name Sytsem', DNS, true, 'transposition in system'],
  ['Domain Name Server', DNS, false, 'common wrong expansion'],
  ['Domain Name Service', DNS, false, 'common wrong expansion'],
  ['Dynamic Name System', DNS, false, 'wrong first word'],
  ['Domain Game System', DNS, false, 'typo in a 4-letter word'],
  ['name system', DNS, false, 'partial: 3-word answers need every word'],
  ['system', DNS, false, 'head noun alone is not enough for a 3-word answer'],
  ['dogs', DNS, false, 'nonsense'],
  ['DNS', DNS, false, 'the acronym itself'],
  ['Domain Name System (DNS)', DNS, false, 'extra token without an accepted variant'],
  ['Domain Name System (DNS)', DNS_V, true, 'accepted variant'],
  ['DNS - domain name system', DNS_V, true, 'accepted variant, any order'],
  // protocols / databases / languages
  ['protocols', PROTOCOLS, true, 'exact'],
  ['prtocols', PROTOCOLS, true, 'one deletion in an 8-letter word'],
  ['network protocols', PROTOCOLS, true, 'accepted variant'],
  ['protocol', PROTOCOLS, true, 'singular'],
  ['programs', PROTOCOLS, false, 'different word'],
  ['security protocols', PROTOCOLS, false, 'qualifier not in any accepted answer'],
  ['databases', DATABASES, true, 'exact'],
  ['Database', DATABASES, true, 'singular'],
  ['data bases', DATABASES, true, 'split word'],
  ['relational database', DATABASES, true, 'accepted variant'],
  ['rdbms', DATABASES, true, 'acronym variant'],
  ['web browsers', DATABASES, false, 'wrong category'],
  ['data', DATABASES, false, 'partial word'],
  ['programming languages', LANGS, true, 'exact'],
  ['languages', LANGS, true, 'head noun'],
  ['programing languages', LANGS, true, 'one missing letter in an 11-letter word'],
  ['programming', LANGS, false, 'qualifier alone'],
  ['coding language', LANGS, true, 'accepted variant'],
  ['coding', LANGS, false, 'qualifier of a variant alone'],
  ['scripting languages', LANGS, false, 'different qualifier'],
];

describe('matchAnswer: answer/verdict table', () => {
  it('has at least 40 rows', () => expect(table.length).toBeGreaterThanOrEqual(40));

  it.each(table)('%p for %j -> %p (%s)', (given, q, expected) => {
    expect(matchAnswer(given, q.canonical, q.accepted).matched).toBe(expected);
  });
});

describe('matchAnswer details', () => {
  it('reports what matched and the distance', () => {
    expect(matchAnswer('Web browsers', 'web browsers', ['browsers'])).toEqual({
      matched: true,
      matchedAgainst: 'web browsers',
      distance: 0,
    });
    expect(matchAnswer('broswers', 'web browsers', [])).toEqual({ matched: true, matchedAgainst: 'web browsers', distance: 1 });
    expect(matchAnswer('RDBMS', 'databases', ['relational databases', 'RDBMS'])).toEqual({
      matched: true,
      matchedAgainst: 'RDBMS',
      distance: 0,
    });
  });

  it('prefers an exact variant over a typo-tolerant canonical match', () => {
    expect(matchAnswer('colour', 'color', ['colour'])).toMatchObject({ matched: true, matchedAgainst: 'colour', distance: 0 });
  });

  it('misses carry no matchedAgainst', () => {
    expect(matchAnswer('web', 'web browsers', [])).toEqual({ matched: false });
    expect(matchAnswer('', 'web browsers', [])).toEqual({ matched: false });
  });

  it('ignores blank accepted answers and never matches an empty canonical', () => {
    expect(matchAnswer('anything', '', ['', '  ']).matched).toBe(false);
  });
});

describe('scoreScreening', () => {
  const form: ScreeningForm = {
    passThreshold: 70,
    questions: [
      {
        id: 'q1',
        prompt: 'Firefox, Mozilla, and Safari are all examples of what?',
        answer: 'web browsers',
        acceptedAnswers: [],
        knockout: false,
        weight: 1,
      },
      { id: 'q2', prompt: '"for" and "while" are examples of what?', answer: 'loops', acceptedAnswers: [], knockout: false, weight: 1 },
      { id: 'q3', prompt: 'What does DNS stand for?', answer: 'Domain Name System', acceptedAnswers: [], knockout: true, weight: 2 },
    ],
  };

  it.each<
    [
      string,
      Array<{ questionId: string; given: string; override?: boolean; note?: string }>,
      { score: number; passed: boolean; knockoutFailed: boolean },
    ]
  >([
    [
      'all correct',
      [
        { questionId: 'q1', given: 'browsers' },
        { questionId: 'q2', given: 'Loops' },
        { questionId: 'q3', given: 'domain name system' },
      ],
      { score: 100, passed: true, knockoutFailed: false },
    ],
    [
      'one light miss still passes (3/4 = 75%)',
      [
        { questionId: 'q1', given: 'web servers' },
        { questionId: 'q2', given: 'loops' },
        { questionId: 'q3', given: 'Domain Name System' },
      ],
      { score: 75, passed: true, knockoutFailed: false },
    ],
    [
      'two light misses fail on score (2/4 = 50%)',
      [
        { questionId: 'q1', given: 'no idea' },
        { questionId: 'q2', given: 'loot' },
        { questionId: 'q3', given: 'Domain Name System' },
      ],
      { score: 50, passed: false, knockoutFailed: false },
    ],
    [
      'knockout missed fails whatever the score',
      [
        { questionId: 'q1', given: 'browsers' },
        { questionId: 'q2', given: 'loops' },
        { questionId: 'q3', given: 'Domain Name Server' },
      ],
      { score: 50, passed: false, knockoutFailed: true },
    ],
    [
      'unanswered questions are misses',
      [{ questionId: 'q3', given: 'Domain Name System' }],
      { score: 50, passed: false, knockoutFailed: false },
    ],
    ['nothing answered', [], { score: 0, passed: false, knockoutFailed: true }],
    [
      'override with a note rescues a knockout',
      [
        { questionId: 'q1', given: 'browsers' },
        { questionId: 'q2', given: 'loops' },
        { questionId: 'q3', given: 'Domain Naming System', override: true, note: 'said it correctly on the phone' },
      ],
      { score: 100, passed: true, knockoutFailed: false },
    ],
    [
      'override with a note can also mark a match wrong',
      [
        { questionId: 'q1', given: 'browsers', override: false, note: 'read it off the screen' },
        { questionId: 'q2', given: 'loops' },
        { questionId: 'q3', given: 'Domain Name System' },
      ],
      { score: 75, passed: true, knockoutFailed: false },
    ],
    [
      'override equal to the automatic verdict needs no note',
      [
        { questionId: 'q1', given: 'browsers', override: true },
        { questionId: 'q2', given: 'loops' },
        { questionId: 'q3', given: 'Domain Name System' },
      ],
      { score: 100, passed: true, knockoutFailed: false },
    ],
  ])('%s', (_name, answers, expected) => {
    const r = scoreScreening(form, answers);
    expect(r).toMatchObject({ ok: true, ...expected });
  });

  it('rounds the score to 2 decimals and compares the threshold unrounded', () => {
    const f: ScreeningForm = {
      ...form,
      passThreshold: 66.67,
      questions: form.questions.map((q) => ({ ...q, weight: 1, knockout: false })),
    };
    const r = scoreScreening(f, [
      { questionId: 'q1', given: 'browsers' },
      { questionId: 'q2', given: 'loops' },
    ]);
    expect(r).toMatchObject({ ok: true, score: 66.67, passed: false });
    const r2 = scoreScreening({ ...f, passThreshold: 66.66 }, [
      { questionId: 'q1', given: 'browsers' },
      { questionId: 'q2', given: 'loops' },
    ]);
    expect(r2).toMatchObject({ ok: true, passed: true });
  });

  it('threshold 0 passes an all-wrong screen without knockouts; threshold 100 needs everything', () => {
    const noKo: ScreeningForm = { ...form, questions: form.questions.map((q) => ({ ...q, knockout: false })) };
    expect(scoreScreening({ ...noKo, passThreshold: 0 }, [])).toMatchObject({ ok: true, score: 0, passed: true });
    expect(
      scoreScreening({ ...noKo, passThreshold: 100 }, [
        { questionId: 'q1', given: 'browsers' },
        { questionId: 'q2', given: 'loops' },
      ]),
    ).toMatchObject({ passed: false });
  });

  it('returns one answer per question in form order with automatic, override and final verdicts', () => {
    const r = scoreScreening(form, [
      { questionId: 'q3', given: 'Domain Naming System', override: true, note: '  heard it right  ' },
      { questionId: 'q1', given: 'Web Browsers!' },
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.answers).toEqual([
      {
        questionId: 'q1',
        given: 'Web Browsers!',
        matched: true,
        automatic: true,
        final: true,
        knockout: false,
        weight: 1,
        matchedAgainst: 'web browsers',
        distance: 0,
      },
      { questionId: 'q2', given: '', matched: false, automatic: false, final: false, knockout: false, weight: 1 },
      {
        questionId: 'q3',
        given: 'Domain Naming System',
        matched: true,
        automatic: false,
        override: true,
        note: 'heard it right',
        final: true,
        knockout: true,
        weight: 2,
      },
    ]);
    expect(r.failedKnockouts).toEqual([]);
  });

  it.each<[string, Array<{ questionId: string; given: string; override?: boolean; note?: string }>, string, string]>([
    ['override without a note', [{ questionId: 'q3', given: 'Domain Name Server', override: true }], 'q3', 'OVERRIDE_REQUIRES_NOTE'],
    ['override with a blank note', [{ questionId: 'q1', given: 'browsers', override: false, note: '  ' }], 'q1', 'OVERRIDE_REQUIRES_NOTE'],
    ['answer to an unknown question', [{ questionId: 'q9', given: 'x' }], 'q9', 'UNKNOWN_QUESTION'],
    [
      'two answers to one question',
      [
        { questionId: 'q1', given: 'a' },
        { questionId: 'q1', given: 'b' },
      ],
      'q1',
      'DUPLICATE_ANSWER',
    ],
  ])('refuses %s, naming the question', (_name, answers, questionId, code) => {
    const r = scoreScreening(form, answers);
    expect(r).toEqual({ ok: false, errors: [expect.objectContaining({ questionId, code, message: expect.stringContaining(questionId) })] });
  });

  it('refuses an empty form', () => {
    expect(scoreScreening({ passThreshold: 50, questions: [] }, [])).toMatchObject({ ok: false, errors: [{ code: 'EMPTY_FORM' }] });
  });
});
