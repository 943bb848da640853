import { Browser } from 'playwright-core';
import { Client } from 'pg';
import { Role } from '../../src/identity/user.entity';
import { DEFAULT_SCREENING_BANK } from '../../src/screening/domain';
import { createTestApp, PASSWORD, suiteEnv, TestApp } from '../setup/test-app';
import { launchBrowser, signIn } from '../support/browser';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';

/** A five-question form in the article's style: DNS is a must-answer question worth double. */
const FIVE = {
  passThreshold: 80,
  questions: [
    { prompt: 'Firefox, Mozilla, and Safari are all examples of what?', answer: 'web browsers', acceptedAnswers: ['browsers'] },
    { prompt: 'In programming, "for" and "while" are examples of what?', answer: 'loops' },
    {
      prompt: 'What does DNS stand for?',
      answer: 'Domain Name System',
      acceptedAnswers: ['Domain Name System (DNS)'],
      knockout: true,
      weight: 2,
    },
    { prompt: 'HTTP, FTP and SMTP are examples of what?', answer: 'protocols', acceptedAnswers: ['network protocols'] },
    { prompt: 'PostgreSQL, MySQL and Oracle are examples of what?', answer: 'databases', acceptedAnswers: ['relational databases'] },
  ],
};

describe('screening: versioned question banks, scored calls and the recruiter page', () => {
  let t: TestApp;
  let w: World;
  let recruiter: { token: string; id: string; email: string };

  beforeAll(async () => {
    suiteEnv({ PUBLIC_URL: 'http://hiring.test' });
    t = await createTestApp();
    w = await makeWorld(t);
    recruiter = w.recruiter;
  });
  afterAll(async () => {
    await t?.close();
  });

  const api = () => ({
    getForm: (openingId: string) => t.http.get(`/api/v1/openings/${openingId}/screening-form`).set(auth(recruiter.token)),
    putForm: (openingId: string, body: unknown) =>
      t.http
        .put(`/api/v1/openings/${openingId}/screening-form`)
        .set(auth(recruiter.token))
        .send(body as object),
    screen: (appId: string, body: unknown) =>
      t.http
        .post(`/api/v1/applications/${appId}/screenings`)
        .set(auth(recruiter.token))
        .send(body as object),
    sessions: (appId: string) => t.http.get(`/api/v1/applications/${appId}/screenings`).set(auth(recruiter.token)),
    events: async (appId: string) =>
      (await t.http.get(`/api/v1/applications/${appId}/events`).set(auth(recruiter.token))).body as Array<{
        type: string;
        data: Record<string, unknown>;
      }>,
    messages: async (appId: string) =>
      (await t.http.get(`/api/v1/applications/${appId}/messages`).set(auth(recruiter.token))).body as Array<{
        template: string;
        status: string;
      }>,
  });
  const storedSessions = async (appId: string) =>
    Number((await t.db.query(`SELECT count(*)::int AS n FROM screening_sessions WHERE application_id = $1`, [appId]))[0].n);

  async function freshApplication(form?: unknown) {
    const opening = await makeOpening(t, w);
    if (form) expect((await api().putForm(opening.id, form)).status).toBe(200);
    const c = await makeCandidate(t, w);
    const app = await makeApplication(t, w, opening.id, c.id);
    const current = (await api().getForm(opening.id)).body as { version: number; questions: Array<{ id: string; prompt: string }> };
    return { opening, candidate: c, app, form: current };
  }

  it('gives a new opening the default bank as version 1, which lints clean', async () => {
    const opening = await makeOpening(t, w);
    const res = await api().getForm(opening.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 1, passThreshold: DEFAULT_SCREENING_BANK.passThreshold, lint: [] });
    expect(res.body.questions.map((q: { id: string }) => q.id)).toEqual(DEFAULT_SCREENING_BANK.questions.map((q) => q.id));
    expect(res.body.questions[2]).toMatchObject({
      prompt: 'What does DNS stand for?',
      answer: 'Domain Name System',
      knockout: true,
      weight: 2,
    });
  });

  it('saves every edit as a new version: warnings kept, lint errors refused with 422, bad input 400 naming the field', async () => {
    const opening = await makeOpening(t, w);
    const saved = await api().putForm(opening.id, {
      passThreshold: 60,
      questions: [...FIVE.questions, { prompt: 'Explain how the Domain Name System works.', answer: 'it resolves names' }],
    });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(2);
    expect(saved.body.questions).toHaveLength(6);
    expect(new Set(saved.body.questions.map((q: { id: string }) => q.id)).size).toBe(6);
    expect(saved.body.questions[1]).toEqual({
      id: expect.any(String),
      prompt: FIVE.questions[1].prompt,
      answer: 'loops',
      acceptedAnswers: [],
      knockout: false,
      weight: 1,
    });
    expect(saved.body.lint).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          questionIndex: 5,
          severity: 'warning',
          rule: 'needs-judgment',
          message: expect.stringMatching(/question 6 asks for judgment/),
        }),
        expect.objectContaining({ questionIndex: 5, severity: 'warning', rule: 'no-accepted-variants' }),
      ]),
    );
    expect((await api().getForm(opening.id)).body).toMatchObject({ version: 2, passThreshold: 60, lint: saved.body.lint });

    const refused = await api().putForm(opening.id, {
      passThreshold: 60,
      questions: [FIVE.questions[0], { prompt: '   ', answer: 'loops' }, { prompt: 'Firefox is an example of what?', answer: 'the ?' }],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.lint).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ questionIndex: 1, severity: 'error', rule: 'empty-prompt' }),
        expect.objectContaining({ questionIndex: 2, severity: 'error', rule: 'missing-answer' }),
      ]),
    );
    expect(refused.body.message).toMatch(/question 2 has no prompt/);

    const invalid = await api().putForm(opening.id, { passThreshold: 101, questions: [{ ...FIVE.questions[0], weight: 11 }] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toMatch(/passThreshold/);
    expect(invalid.body.message).toMatch(/questions\[0\]\.weight/);
    expect(invalid.body.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'questions[0].weight' })]));

    expect((await api().getForm(opening.id)).body.version).toBe(2); // nothing refused was stored
    const engineer = await t.login([Role.Engineer]);
    expect((await t.http.put(`/api/v1/openings/${opening.id}/screening-form`).set(auth(engineer.token)).send(FIVE)).status).toBe(403);
    expect(
      (await t.http.get('/api/v1/openings/00000000-0000-4000-8000-000000000000/screening-form').set(auth(recruiter.token))).status,
    ).toBe(404);
  });

  it('refuses bad answers over the API with nothing stored: 10,000 characters, 2,001 characters, an override without a note', async () => {
    const { app, form } = await freshApplication(FIVE);
    const ids = form.questions.map((q) => q.id);
    const huge = await api().screen(app.id, { answers: [{ questionId: ids[0], given: 'x'.repeat(10_000) }] });
    expect(huge.status).toBe(400);
    expect(huge.body.message).toMatch(/answers\.0\.given/);
    const justOver = await api().screen(app.id, {
      answers: [
        { questionId: ids[0], given: 'browsers' },
        { questionId: ids[1], given: 'y'.repeat(2001) },
      ],
    });
    expect(justOver.status).toBe(400);
    expect(justOver.body.message).toMatch(/answers\.1\.given/);
    const noNote = await api().screen(app.id, { answers: [{ questionId: ids[2], given: 'Domain Name Server', override: true }] });
    expect(noNote.status).toBe(400);
    expect(noNote.body.message).toContain(ids[2]);
    expect(noNote.body.message).toMatch(/requires a note/);
    const unknown = await api().screen(app.id, { answers: [{ questionId: 'no-such-question', given: 'x' }] });
    expect(unknown.status).toBe(400);

    expect(await storedSessions(app.id)).toBe(0);
    expect((await api().events(app.id)).some((e) => e.type === 'screening.completed')).toBe(false);
    expect((await api().sessions(app.id)).body).toEqual([]);
  });

  it('records a session: answers verbatim with automatic verdict and override, an empty answer a miss, the timeline event in the same write', async () => {
    const { app, form } = await freshApplication(FIVE);
    const ids = form.questions.map((q) => q.id);
    const res = await api().screen(app.id, {
      answers: [
        { questionId: ids[0], given: '  Web Browsers!  ' },
        { questionId: ids[1], given: '' },
        { questionId: ids[2], given: 'Domain Naming System', override: true, note: 'Said "name" clearly; typo on my side' },
        { questionId: ids[3], given: 'protocols' },
        // ids[4] unanswered: a miss
      ],
      checklist: { processExplained: true, compensationDiscussed: true, nextJobAnswer: 'Building developer tools' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ formVersion: 2, score: 66.67, passed: false, knockoutFailed: false, outcome: null });
    expect(res.body.answers).toEqual([
      expect.objectContaining({
        questionId: ids[0],
        given: '  Web Browsers!  ',
        matched: true,
        automatic: true,
        override: null,
        note: null,
      }),
      expect.objectContaining({ questionId: ids[1], given: '', matched: false, automatic: false }),
      expect.objectContaining({
        questionId: ids[2],
        given: 'Domain Naming System',
        matched: true,
        automatic: false,
        override: true,
        note: 'Said "name" clearly; typo on my side',
      }),
      expect.objectContaining({ questionId: ids[3], matched: true }),
      expect.objectContaining({ questionId: ids[4], given: '', matched: false }),
    ]);
    expect(res.body.application).toMatchObject({ stage: 'recruiter_screen', status: 'active' });

    const [row] = await t.db.query(`SELECT form_version, answers, checklist, outcome FROM screening_sessions WHERE id = $1`, [res.body.id]);
    expect(row.form_version).toBe(2);
    expect(row.answers[0]).toMatchObject({ given: '  Web Browsers!  ', prompt: FIVE.questions[0].prompt, automatic: true, final: true });
    expect(row.checklist).toEqual({ processExplained: true, compensationDiscussed: true, nextJobAnswer: 'Building developer tools' });

    const events = await api().events(app.id);
    const ev = events.find((e) => e.type === 'screening.completed');
    expect(ev?.data).toMatchObject({ sessionId: res.body.id, formVersion: 2, score: 66.67, passed: false, overrides: 1 });
    const listed = (await api().sessions(app.id)).body;
    expect(listed).toHaveLength(1);
    expect(listed[0].id).toBe(res.body.id);
    // A call is a contact with the candidate.
    expect((await t.http.get(`/api/v1/applications/${app.id}`).set(auth(recruiter.token))).body.lastContactAt).toBeTruthy();
  });

  it('pins the form version: editing the form later leaves past sessions unchanged; a stale page is refused', async () => {
    const { opening, app, form } = await freshApplication(FIVE);
    const ids = form.questions.map((q) => q.id);
    const first = await api().screen(app.id, {
      answers: ids.map((questionId) => ({ questionId, given: 'web browsers' })),
      formVersion: form.version,
    });
    expect(first.status).toBe(201);
    const before = (await api().sessions(app.id)).body[0];

    const edited = await api().putForm(opening.id, {
      passThreshold: 50,
      questions: [{ id: ids[0], prompt: 'Chrome and Edge are examples of what?', answer: 'web browsers', acceptedAnswers: ['browsers'] }],
    });
    expect(edited.status).toBe(200);
    expect(edited.body.version).toBe(form.version + 1);

    const after = (await api().sessions(app.id)).body[0];
    expect(after).toEqual(before);
    expect(after.formVersion).toBe(form.version);
    expect(after.answers[0].prompt).toBe(FIVE.questions[0].prompt);
    // The old version is still readable as it was.
    const old = await t.http.get(`/api/v1/openings/${opening.id}/screening-form/versions/${form.version}`).set(auth(recruiter.token));
    expect(old.body.questions).toHaveLength(5);
    // Form versions are append-only in the database too.
    const pg = new Client({ connectionString: t.url });
    await pg.connect();
    await expect(pg.query(`UPDATE screening_forms SET pass_threshold = 1 WHERE opening_id = $1`, [opening.id])).rejects.toThrow(
      /append-only/,
    );
    await pg.end();

    const stale = await api().screen(app.id, { answers: [{ questionId: ids[0], given: 'browsers' }], formVersion: form.version });
    expect(stale.status).toBe(409);
    const second = await api().screen(app.id, { answers: [{ questionId: ids[0], given: 'browsers' }] });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ formVersion: form.version + 1, score: 100, passed: true });
  });

  it("rejecting sends the candidate the respectful rejection message with the recruiter's words", async () => {
    const { app, form } = await freshApplication(FIVE);
    const res = await api().screen(app.id, {
      answers: [{ questionId: form.questions[2].id, given: 'Domain Name Server' }],
      outcome: 'reject',
      candidateMessage: 'Thank you for your time today.',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ knockoutFailed: true, passed: false, outcome: 'rejected', application: { status: 'rejected' } });
    const events = await api().events(app.id);
    expect(events.find((e) => e.type === 'application.rejected')?.data).toMatchObject({ reason: 'Did not pass the screening' });
    const msgs = await api().messages(app.id);
    expect(msgs.map((m) => m.template)).toContain('rejection');
    expect((msgs.find((m) => m.template === 'rejection') as unknown as { text: string }).text).toContain('Thank you for your time today.');
    // Nothing more is recorded on a closed application.
    expect((await api().screen(app.id, { answers: [] })).status).toBe(409);
    expect(await storedSessions(app.id)).toBe(1);
  });

  it("matches single answers with the same scoring function (the page's live verdict)", async () => {
    const { opening, form } = await freshApplication(FIVE);
    const match = (questionId: string, given: string) =>
      t.http
        .post('/api/v1/screening/match')
        .set(auth(recruiter.token))
        .send({ openingId: opening.id, formVersion: form.version, questionId, given });
    expect((await match(form.questions[0].id, 'broswers')).body).toEqual({
      questionId: form.questions[0].id,
      matched: true,
      matchedAgainst: 'web browsers',
    });
    expect((await match(form.questions[2].id, 'Domain Name Server')).body).toMatchObject({ matched: false });
    expect((await match(form.questions[1].id, '')).body).toMatchObject({ matched: false });
    expect((await match('nope', 'x')).status).toBe(400);
    expect((await match(form.questions[0].id, 'x'.repeat(10_000))).status).toBe(400);
  });

  it('sends a signed-out visitor of the page to sign in', async () => {
    const res = await t.http.get('/screening/00000000-0000-4000-8000-000000000000').set('accept', 'text/html');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Fscreening%2F00000000-0000-4000-8000-000000000000');
  });

  describe('in headless Chromium', () => {
    let browser: Browser;
    let baseUrl: string;
    beforeAll(async () => {
      baseUrl = await t.listen();
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("signs in, runs a five-question call one question at a time on a phone, sees the score and advances; the candidate's message is queued", async () => {
      const { opening, app, candidate } = await freshApplication(FIVE);
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      // CSP violations and script errors show up here; failed requests are checked by URL below.
      page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && problems.push(m.text()));
      page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && problems.push(`${r.status()} ${r.url()}`));
      await signIn(page, baseUrl, recruiter.email, PASSWORD, `/screening/${app.id}`);
      expect(new URL(page.url()).pathname).toBe(`/screening/${app.id}`);
      await page.getByRole('heading', { name: 'Before the questions' }).waitFor();

      // First contact: the process (every stage of this opening) and the compensation range.
      for (const s of opening.stages) await page.getByText(s.name, { exact: true }).first().waitFor();
      expect(await page.textContent('#compensation-range')).toBe('€90,000 – €120,000');
      await page.getByLabel('I explained the hiring process').check();
      await page.getByLabel('We discussed the compensation range').check();
      // Every field has a label; only one step is on screen.
      expect(
        await page.$$eval(
          'input:not([type=hidden]), textarea, select',
          (els) => els.filter((e) => !e.id || (!document.querySelector(`label[for="${e.id}"]`) && !e.closest('label'))).length,
        ),
      ).toBe(0);
      expect(await page.locator('.step:visible').count()).toBe(1);
      await page.click('#step-next');

      const said = ['Web browsers', 'loop', 'domain name system', 'protocols', 'web servers'];
      const expected = [true, true, true, true, false];
      for (let i = 0; i < 5; i++) {
        await page.getByRole('heading', { name: new RegExp(`^Question ${i + 1} of 5`) }).waitFor();
        expect(await page.locator('.step:visible .script').textContent()).toBe(FIVE.questions[i].prompt);
        await page.fill(`#given_${i}`, said[i]);
        const verdict = page.locator(`#verdict_${i}`);
        await verdict.filter({ hasText: expected[i] ? '✓ Correct' : '✗ No match' }).waitFor();
        await page.click('#step-next');
      }
      await page.getByRole('heading', { name: 'Their next job' }).waitFor();
      await page.fill('#nextJobAnswer', 'Lead a small platform team');
      await page.click('#step-next');

      await page.locator('#score').waitFor();
      expect(await page.textContent('#score')).toContain('83.33%');
      expect(await page.textContent('#suggestion')).toMatch(/Suggested outcome: advance/);
      await Promise.all([page.waitForURL(/\/screening\/.+\/sessions\/.+/), page.click('#advance')]);

      expect(await page.textContent('#result-score')).toBe('83.33%');
      expect(await page.textContent('#result-outcome')).toMatch(/Advanced: the application is now in\s+Hiring manager call/);
      expect(await page.textContent('#result-messages')).toMatch(/queued|sent/);
      expect(problems).toEqual([]);
      await context.close();

      const detail = await t.http.get(`/api/v1/applications/${app.id}`).set(auth(recruiter.token));
      expect(detail.body).toMatchObject({ stage: 'manager_call', status: 'active' });
      const msgs = await api().messages(app.id);
      const staged = msgs.find((m) => m.template === 'stage_changed');
      expect(staged).toBeDefined();
      expect(['queued', 'sending', 'sent']).toContain(staged!.status);
      const [session] = (await api().sessions(app.id)).body;
      expect(session).toMatchObject({
        score: 83.33,
        passed: true,
        outcome: 'advanced',
        checklist: { processExplained: true, compensationDiscussed: true, nextJobAnswer: 'Lead a small platform team' },
      });
      expect(session.answers.map((a: { given: string }) => a.given)).toEqual(said);
      expect(candidate.email).toBeTruthy();
    });

    it('works without JavaScript: every step on one page, Enter never submits, overrides with a note are kept', async () => {
      const { app, form } = await freshApplication(FIVE);
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await signIn(page, baseUrl, recruiter.email, PASSWORD, `/screening/${app.id}`);
      expect(await page.locator('.step:visible').count()).toBe(8); // intro, five questions, next job, result
      await page.fill('#given_0', 'firefox');
      await page.press('#given_0', 'Enter');
      await page.waitForTimeout(300);
      expect(new URL(page.url()).pathname).toBe(`/screening/${app.id}`);
      expect(await storedSessions(app.id)).toBe(0);
      await page.locator('.step.question').first().getByText('Override the verdict').click();
      await page.selectOption('#override_0', 'correct');
      await page.fill('#note_0', 'Named the category before the example');
      await page.fill('#given_2', 'Domain Name System');
      await page.check('#processExplained');
      await Promise.all([page.waitForURL(/\/sessions\//), page.click('#save-only')]);
      expect(await page.textContent('#result-score')).toBe('50%');
      const [session] = (await api().sessions(app.id)).body;
      expect(session.answers[0]).toMatchObject({
        questionId: form.questions[0].id,
        given: 'firefox',
        automatic: false,
        override: true,
        matched: true,
        note: 'Named the category before the example',
      });
      expect(session.checklist).toEqual({ processExplained: true, compensationDiscussed: false, nextJobAnswer: null });
      expect(session.outcome).toBeNull();
      await context.close();
    });

    it('refuses to leave the page with an override that has no note', async () => {
      const { app } = await freshApplication(FIVE);
      const context = await browser.newContext();
      const page = await context.newPage();
      await signIn(page, baseUrl, recruiter.email, PASSWORD, `/screening/${app.id}`);
      await page.click('#step-next');
      await page.fill('#given_0', 'firefox');
      await page.locator('#verdict_0').filter({ hasText: '✗ No match' }).waitFor();
      await page.getByText('Override the verdict').first().click();
      await page.selectOption('#override_0', 'correct');
      for (let i = 0; i < 6; i++) await page.click('#step-next');
      await page.locator('#summary .error').waitFor();
      expect(await page.textContent('#summary')).toMatch(/requires a note/);
      await page.click('#save-only');
      await page.locator('#verdict_0').filter({ hasText: 'Add a note' }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/screening/${app.id}`);
      expect(await storedSessions(app.id)).toBe(0);
      await page.fill('#note_0', 'Meant the category; confirmed on the call');
      for (let i = 0; i < 6; i++) await page.click('#step-next');
      await page.locator('#score').waitFor();
      await Promise.all([page.waitForURL(/\/sessions\//), page.click('#save-only')]);
      expect(await page.textContent('#result-outcome')).toMatch(/No decision recorded/);
      expect(await storedSessions(app.id)).toBe(1);
      await context.close();
    });
  });
});
