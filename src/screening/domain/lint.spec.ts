import {
  DEFAULT_PASS_THRESHOLD,
  DEFAULT_SCREENING_BANK,
  LintRule,
  defaultScreeningForm,
  hasLintErrors,
  lintForm,
  validateForm,
} from './lint';
import { matchAnswer, scoreScreening } from './scoring';

const q = (prompt: string, answer: string, acceptedAnswers: string[] = []) => ({ prompt, answer, acceptedAnswers });
const rules = (issues: ReturnType<typeof lintForm>) => issues.map((i) => `${i.questionIndex}:${i.severity}:${i.rule}`);

describe('lintForm', () => {
  it.each<[string, ReturnType<typeof q>, string[]]>([
    ['article good example 1', q('Firefox, Mozilla, and Safari are all examples of what?', 'web browsers', ['browsers']), []],
    ['article good example 2', q('In programming, "for" and "while" are examples of what?', 'loops'), []],
    ['article: What does DNS stand for?', q('What does DNS stand for?', 'Domain Name System', ['Domain Name System (DNS)']), []],
    [
      'article bad example: difference between',
      q('What is the difference between a map and an array?', 'keys'),
      ['0:warning:needs-judgment'],
    ],
    [
      'article bad example: explain (multi-word answer, no variants)',
      q('Explain how the Domain Name System works.', 'it resolves names'),
      ['0:warning:needs-judgment', '0:warning:no-accepted-variants'],
    ],
    ['describe', q('Describe your favourite editor', 'vim'), ['0:warning:needs-judgment']],
    ['how does', q('How does garbage collection work?', 'tracing'), ['0:warning:needs-judgment']],
    ['how do', q('How do you debug a memory leak?', 'profiler'), ['0:warning:needs-judgment']],
    ['why', q('Why is Go fast?', 'compiled'), ['0:warning:needs-judgment']],
    ['compare', q('Compare REST and GraphQL', 'apis'), ['0:warning:needs-judgment']],
    ['what do you think', q('What do you think of microservices?', 'good'), ['0:warning:needs-judgment']],
    ['discuss', q('Discuss caching.', 'cache'), ['0:warning:needs-judgment']],
    ['tell me about', q('Tell me about a project you shipped', 'app'), ['0:warning:needs-judgment']],
    ['case and punctuation do not hide judgment', q('EXPLAIN: closures', 'functions'), ['0:warning:needs-judgment']],
    ['judgment word only as part of another word', q('Which explainer tool ships with PostgreSQL?', 'explain'), []],
    ['empty prompt', q('   ', 'loops'), ['0:error:empty-prompt']],
    ['empty answer', q('Firefox is an example of what?', '  '), ['0:error:missing-answer']],
    ['answer of only punctuation/articles', q('Firefox is an example of what?', 'the ?'), ['0:error:missing-answer']],
    ['long canonical answer', q('What is TCP?', 'a reliable ordered byte stream transport protocol', ['tcp']), ['0:warning:long-answer']],
    ['five words is fine', q('What does HTTPS stand for?', 'Hypertext Transfer Protocol Secure', ['HTTP Secure']), []],
    ['multi-word answer without variants', q('Firefox is an example of what?', 'web browser'), ['0:warning:no-accepted-variants']],
    ['blank variant', q('Firefox is an example of what?', 'browser', ['  ']), ['0:warning:blank-variant']],
    [
      'variant equal to the answer after normalization',
      q('Firefox is an example of what?', 'web browsers', ['Web Browser']),
      ['0:warning:duplicate-variant'],
    ],
  ])('%s', (_name, question, expected) => {
    expect(rules(lintForm([question]))).toEqual(expected);
  });

  it('flags several problems on one question, errors and warnings', () => {
    const issues = lintForm([q('', '')]);
    expect(rules(issues)).toEqual(['0:error:empty-prompt', '0:error:missing-answer']);
    expect(hasLintErrors(issues)).toBe(true);
  });

  it('reports duplicates on the later question, naming the earlier one', () => {
    const issues = lintForm([
      q('What does DNS stand for?', 'domain name system', ['dns domain name system']),
      q('Firefox is an example of what?', 'browser'),
      q('  what does dns   STAND for ', 'domain name system', ['dns domain name system']),
    ]);
    expect(issues).toEqual([
      { questionIndex: 2, severity: 'warning', rule: 'duplicate-question' as LintRule, message: 'question 3 duplicates question 1' },
    ]);
    expect(hasLintErrors(issues)).toBe(false);
  });

  it('messages are written for the form author', () => {
    const [issue] = lintForm([q('Explain DNS', 'names')]);
    expect(issue.message).toMatch(/question 1 asks for judgment \("explain"\)/);
  });
});

describe('DEFAULT_SCREENING_BANK', () => {
  it('lints clean', () => {
    expect(lintForm(DEFAULT_SCREENING_BANK.questions)).toEqual([]);
  });

  it('passes structural validation', () => {
    expect(validateForm(DEFAULT_SCREENING_BANK).ok).toBe(true);
  });

  it('contains the article examples with a default threshold and DNS as knockout', () => {
    expect(DEFAULT_SCREENING_BANK.passThreshold).toBe(DEFAULT_PASS_THRESHOLD);
    const byId = Object.fromEntries(DEFAULT_SCREENING_BANK.questions.map((x) => [x.id, x]));
    expect(byId['web-browsers'].prompt).toMatch(/Firefox, Mozilla, and Safari/);
    expect(byId['loops'].answer).toBe('loops');
    expect(byId['dns']).toMatchObject({ prompt: 'What does DNS stand for?', answer: 'Domain Name System', knockout: true });
    expect(new Set(DEFAULT_SCREENING_BANK.questions.map((x) => x.id)).size).toBe(DEFAULT_SCREENING_BANK.questions.length);
  });

  it.each([
    ['web-browsers', 'Browsers', true],
    ['web-browsers', 'web', false],
    ['loops', 'loop', true],
    ['dns', 'the domain name system (DNS)', true],
    ['dns', 'domain name server', false],
    ['protocols', 'network protocol', true],
    ['databases', 'relational DBs', false],
    ['databases', 'SQL database', true],
    ['programming-languages', 'languages', true],
  ])('%s: %p -> %p', (id, given, expected) => {
    const question = DEFAULT_SCREENING_BANK.questions.find((x) => x.id === id)!;
    expect(matchAnswer(given, question.answer, question.acceptedAnswers).matched).toBe(expected);
  });

  it('a perfect candidate passes, a project manager guessing fails', () => {
    const form = defaultScreeningForm();
    const perfect = ['web browsers', 'loops', 'Domain Name System', 'protocols', 'databases', 'programming languages'];
    expect(
      scoreScreening(
        form,
        form.questions.map((x, i) => ({ questionId: x.id, given: perfect[i] })),
      ),
    ).toMatchObject({ ok: true, score: 100, passed: true });
    const guesses = ['websites', 'loops', 'Domain Name Server', 'protocols', 'databases', 'languages'];
    expect(
      scoreScreening(
        form,
        form.questions.map((x, i) => ({ questionId: x.id, given: guesses[i] })),
      ),
    ).toMatchObject({ ok: true, passed: false, knockoutFailed: true });
  });

  it('defaultScreeningForm returns an independent copy', () => {
    const f = defaultScreeningForm();
    f.questions[0].acceptedAnswers.push('x');
    expect(DEFAULT_SCREENING_BANK.questions[0].acceptedAnswers).not.toContain('x');
  });
});

describe('validateForm', () => {
  const good = { passThreshold: 60, questions: [{ prompt: 'Firefox is an example of what?', answer: 'browser' }] };

  it('applies defaults', () => {
    expect(validateForm(good)).toEqual({
      ok: true,
      form: {
        passThreshold: 60,
        questions: [{ prompt: 'Firefox is an example of what?', answer: 'browser', acceptedAnswers: [], knockout: false, weight: 1 }],
      },
    });
  });

  it('accepts the boundaries', () => {
    const questions = Array.from({ length: 50 }, (_, i) => ({
      prompt: `${i} ${'p'.repeat(490)}`,
      answer: 'a'.repeat(200),
      acceptedAnswers: ['b'.repeat(200)],
      weight: i % 2 ? 1 : 10,
    }));
    expect(validateForm({ passThreshold: 0, questions }).ok).toBe(true);
    expect(validateForm({ passThreshold: 100, questions: questions.slice(0, 1) }).ok).toBe(true);
  });

  const withQ = (over: object) => ({ passThreshold: 60, questions: [{ ...good.questions[0], ...over }] });
  it.each<[string, unknown, string, RegExp]>([
    ['not an object', 'nope', 'form', /object/],
    ['missing threshold', { questions: good.questions }, 'passThreshold', /required/],
    ['threshold above 100', { ...good, passThreshold: 101 }, 'passThreshold', /at most 100/],
    ['negative threshold', { ...good, passThreshold: -1 }, 'passThreshold', /at least 0/],
    ['no questions', { passThreshold: 60, questions: [] }, 'questions', /at least 1/],
    ['51 questions', { passThreshold: 60, questions: Array.from({ length: 51 }, () => good.questions[0]) }, 'questions', /at most 50/],
    ['prompt of 501 characters', withQ({ prompt: 'x'.repeat(501) }), 'questions[0].prompt', /500/],
    ['answer of 201 characters', withQ({ answer: 'x'.repeat(201) }), 'questions[0].answer', /200/],
    ['accepted answer of 201 characters', withQ({ acceptedAnswers: ['ok', 'x'.repeat(201)] }), 'questions[0].acceptedAnswers[1]', /200/],
    ['weight 0', withQ({ weight: 0 }), 'questions[0].weight', /at least 1/],
    ['weight 11', withQ({ weight: 11 }), 'questions[0].weight', /at most 10/],
    ['fractional weight', withQ({ weight: 1.5 }), 'questions[0].weight', /whole/],
    ['knockout as a string', withQ({ knockout: 'yes' }), 'questions[0].knockout', /true or false/],
    ['missing answer', { passThreshold: 60, questions: [{ prompt: 'p' }] }, 'questions[0].answer', /required/],
  ])('rejects %s naming the field', (_name, input, path, message) => {
    const r = validateForm(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]));
  });
});
