import { INestApplicationContext } from '@nestjs/common';
import Docker from 'dockerode';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Role } from '../../src/identity/user.entity';
import { buildAllSandboxImages } from '../../src/sandbox/image-builder';
import { FIXTURES, tarGzDir, zip, zipDir } from '../fixtures/assignments/pack';
import { createTestApp, createTestWorker, PASSWORD, suiteEnv, TestApp } from '../setup/test-app';
import { launchBrowser, signIn } from '../support/browser';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';
import { eventually } from '../support/redis-server';

// A consistent snake_case, 4-space submission with one function pasted in another style.
const SUBMISSION = `_VALUES = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def to_roman(n: int) -> str:
    if not isinstance(n, int) or not 1 <= n <= 3999:
        raise ValueError(f"{n!r} is outside 1..3999")
    out = []
    for value, letters in _VALUES:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def from_roman(text: str) -> int:
    total = 0
    index = 0
    for value, letters in _VALUES:
        while text.startswith(letters, index):
            total += value
            index += len(letters)
    return total


def is_valid_roman(text: str) -> bool:
    try:
        return to_roman(from_roman(text)) == text
    except ValueError:
        return False


def normalize_roman(text: str) -> str:
    cleaned = text.strip().upper()
    return cleaned


def memory_in_use() -> str:
    with open("/proc/self/status") as status:
        return status.read()


def countLettersInRoman(inputString):
  # count each letter of the numeral
  # using a dictionary of counts
  letterCountMap = {}
  for currentLetter in inputString:
    if currentLetter in letterCountMap:
      letterCountMap[currentLetter] = letterCountMap[currentLetter] + 1
    else:
      letterCountMap[currentLetter] = 1
  return letterCountMap
`;

describe('graded submission -> review scheduled automatically -> packet with the focus excerpt', () => {
  let t: TestApp;
  let w: World;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    await buildAllSandboxImages(new Docker({ socketPath: '/var/run/docker.sock' }), () => undefined);
    suiteEnv({ PUBLIC_URL: 'http://hiring.test' });
    t = await createTestApp();
    worker = await createTestWorker(t.url);
    w = await makeWorld(t);
  }, 180_000);
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  it('schedules a Python reviewer when the submission is graded and shows where to look', async () => {
    const reviewer = await t.login([Role.Engineer]);
    await t.http
      .put(`/api/v1/users/${reviewer.id}/reviewer-profile`)
      .set(auth(reviewer.token))
      .send({ languages: ['python'], timezone: 'Europe/London', workingHours: { start: '08:00', end: '18:00', days: [1, 2, 3, 4, 5] } })
      .expect(200);
    const js = await t.login([Role.Engineer]);
    await t.http
      .put(`/api/v1/users/${js.id}/reviewer-profile`)
      .set(auth(js.token))
      .send({ languages: ['javascript'], timezone: 'Europe/London', workingHours: { start: '08:00', end: '18:00', days: [1, 2, 3, 4, 5] } })
      .expect(200);

    const PY = path.join(FIXTURES, 'python-roman');
    const a = await t.http
      .post('/api/v1/assignments')
      .set(auth(w.manager.token))
      .send({ title: 'Roman numerals', runtime: 'python', instructions: readFileSync(path.join(PY, 'instructions.md'), 'utf8') });
    expect(a.status).toBe(201);
    const v = await t.http
      .post(`/api/v1/assignments/${a.body.id}/versions`)
      .set(auth(reviewer.token))
      .attach('hiddenTests', zipDir(`${PY}/hidden-tests`), 'hidden.zip')
      .attach('starter', zipDir(`${PY}/starter`), 'starter.zip')
      .attach('referenceSolution', await tarGzDir(`${PY}/reference`), 'ref.tar.gz');
    expect(v.status).toBe(201);
    await t.http.post(`/api/v1/assignments/${a.body.id}/versions/${v.body.version}/publish`).set(auth(reviewer.token)).expect(200);

    const opening = await makeOpening(t, w);
    const app = await makeApplication(t, w, opening.id, (await makeCandidate(t, w, { timezone: 'Europe/London' })).id);
    for (const to of ['manager_call', 'take_home'])
      await t.http.post(`/api/v1/applications/${app.id}/transitions`).set(auth(w.recruiter.token)).send({ to }).expect(200);
    const inv = await t.http
      .post(`/api/v1/applications/${app.id}/invitations`)
      .set(auth(w.recruiter.token))
      .send({ assignmentId: a.body.id });
    expect(inv.status).toBe(201);
    const token = String(inv.body.portalUrl).split('/').pop()!;
    await t.http.post(`/api/v1/portal/${token}/attestation`).send({ fullName: 'Grace Hopper', agreed: true }).expect(201);
    const sub = await t.http
      .post(`/api/v1/portal/${token}/submission`)
      .attach('file', zip([{ name: 'roman.py', data: SUBMISSION }]), 'solution.zip');
    expect(sub.status).toBe(201);

    const reviews = await eventually(
      () => t.http.get(`/api/v1/reviews?applicationId=${app.id}`).set(auth(w.manager.token)),
      (r) => r.body.length === 1,
      90_000,
    );
    const review = reviews.body[0];
    expect(review).toMatchObject({ reviewerId: reviewer.id, submissionId: sub.body.id, language: 'python', status: 'scheduled' });

    const packet = await t.http.get(`/api/v1/reviews/${review.id}`).set(auth(reviewer.token));
    expect(packet.status).toBe(200);
    expect(packet.body.result.status).toBe('passed');
    expect(packet.body.files.map((f: { path: string }) => f.path)).toContain('roman.py');
    expect(packet.body.focus).toMatchObject({ file: 'roman.py' });
    expect(packet.body.focus.name).toBe('countLettersInRoman');
    expect(packet.body.focus.reasons.join(' ')).toMatch(/camelCase|indent/i);
    const lines = SUBMISSION.split('\n');
    expect(lines[packet.body.focus.startLine - 1]).toMatch(/def countLettersInRoman/);
    // What the grading run observed, for the reviewer: the scan saw the /proc read (an observation, not a verdict).
    const procLine = lines.findIndex((l) => l.includes('/proc/self/status')) + 1;
    expect(packet.body.integrityNotes).toEqual([
      { kind: 'submission_scan', detail: 'The submission reads or writes under /proc.', where: `roman.py:${procLine}` },
    ]);
    expect(packet.body.result.integrity).toMatchObject({ tampered: false });

    // The reviewer's packet page: highlighted files with the focus lines marked.
    const email = (await t.db.query('SELECT email FROM users WHERE id = $1', [reviewer.id]))[0].email;
    const base = await t.listen();
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await signIn(page, base, email, PASSWORD, `/reviews/${review.id}`);
      expect(await page.textContent('#focus')).toMatch(/countLettersInRoman/);
      expect(await page.locator('.focus-line').count()).toBe(packet.body.focus.endLine - packet.body.focus.startLine + 1);
      expect(await page.locator('.hljs-keyword').count()).toBeGreaterThan(5);
      expect(await page.textContent('#grading + p')).toMatch(/passed/);
      expect(await page.textContent('#integrity-notes')).toContain(`The submission reads or writes under /proc. (roman.py:${procLine})`);
    } finally {
      await browser.close();
    }
  });
});
