/**
 * Simulated people for the game day and the load bench, all through the HTTP API: recruiters
 * move candidates and read timelines, candidates sign the attestation and upload their take-home
 * (retrying with the same Idempotency-Key when an upload fails, as a real one would), recruiters
 * run screening calls. Every call is recorded (kind, status, latency) for the reports.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { tarGzDir, zipDir } from '../fixtures/assignments/pack';
import { ADMIN, GameDaySystem, ROOT, sleep } from './harness';

export interface CallResult {
  status: number; // 0: no HTTP answer (refused, reset, timed out)
  body: any;
  ms: number;
  error?: string;
  timedOut?: boolean;
}

export interface Sample {
  kind: string;
  status: number;
  ms: number;
  at: number;
}

/** A small fetch client with a hard client-side timeout; never throws. */
export class Api {
  readonly samples: Sample[] = [];
  record = true;
  constructor(
    readonly base: string,
    readonly timeoutMs = 15_000,
  ) {}

  async call(
    kind: string,
    method: string,
    p: string,
    opts: { token?: string; json?: unknown; form?: FormData; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<CallResult> {
    const started = performance.now();
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | FormData | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.form) body = opts.form;
    let res: CallResult;
    try {
      const r = await fetch(`${this.base}${p}`, { method, headers, body, signal: AbortSignal.timeout(opts.timeoutMs ?? this.timeoutMs) });
      const text = await r.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON */
      }
      res = { status: r.status, body: parsed, ms: performance.now() - started };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
      res = {
        status: 0,
        body: null,
        ms: performance.now() - started,
        error: timedOut ? 'client timeout' : (err.cause?.code ?? err.message),
        timedOut,
      };
    }
    if (this.record) this.samples.push({ kind, status: res.status, ms: res.ms, at: Date.now() });
    return res;
  }

  async must(kind: string, method: string, p: string, opts: Parameters<Api['call']>[3] = {}, expect = [200, 201]): Promise<any> {
    for (let i = 0; ; i++) {
      const r = await this.call(kind, method, p, opts);
      if (expect.includes(r.status)) return r.body;
      // Set-up calls ride out a part that is still coming back; anything else is a bug.
      if ((r.status === 0 || r.status === 503) && i < 20) {
        await sleep(1000);
        continue;
      }
      throw new Error(`${method} ${p}: ${r.status} ${r.error ?? JSON.stringify(r.body)}`);
    }
  }
}

export interface Staff {
  admin: string;
  recruiter: { id: string; token: string };
  manager: { id: string; token: string };
  engineer: { id: string; token: string };
}

export interface World {
  staff: Staff;
  assignmentId: string;
  openingId: string;
  /** The reference solution (passes every hidden test) and a broken one (known failures). */
  solution: Buffer;
}

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'assignments', 'node-wordfreq');
const PASSWORD = 'gameday-password-1';

/** Staff users, a published take-home (its reference run in the sandbox) and an opening. */
export async function makeWorld(sys: GameDaySystem, api: Api): Promise<World> {
  const { accessToken: admin } = await api.must('setup', 'POST', '/api/v1/auth/login', { json: ADMIN });
  const user = async (role: string) => {
    const email = `${role}-${randomBytes(3).toString('hex')}@gameday.local`;
    const u = await api.must('setup', 'POST', '/api/v1/users', {
      token: admin,
      json: { email, name: `${role} (game day)`, password: PASSWORD, roles: [role], timezone: 'UTC' },
    });
    const { accessToken } = await api.must('setup', 'POST', '/api/v1/auth/login', { json: { email, password: PASSWORD } });
    return { id: u.id as string, token: accessToken as string };
  };
  const staff: Staff = {
    admin,
    recruiter: await user('recruiter'),
    manager: await user('hiring_manager'),
    engineer: await user('engineer'),
  };
  const assignment = await api.must('setup', 'POST', '/api/v1/assignments', {
    token: staff.manager.token,
    json: {
      title: 'Word frequencies (game day)',
      runtime: 'node',
      instructions: '# Word frequencies\nCount words.',
      resubmission: 'until_first_graded',
    },
  });
  const form = new FormData();
  form.append('hiddenTests', new Blob([zipDir(path.join(FIXTURE, 'hidden-tests'))]), 'hidden.zip');
  form.append('starter', new Blob([zipDir(path.join(FIXTURE, 'starter'))]), 'starter.zip');
  form.append('referenceSolution', new Blob([await tarGzDir(path.join(FIXTURE, 'reference'))]), 'reference.tar.gz');
  const version = await api.must('setup', 'POST', `/api/v1/assignments/${assignment.id}/versions`, { token: staff.engineer.token, form });
  await api.must('setup', 'POST', `/api/v1/assignments/${assignment.id}/versions/${version.version}/publish`, {
    token: staff.engineer.token,
    timeoutMs: 180_000,
  });
  const opening = await api.must('setup', 'POST', '/api/v1/openings', {
    token: staff.manager.token,
    json: {
      title: `Backend Engineer (game day ${randomBytes(2).toString('hex')})`,
      hiringManagerId: staff.manager.id,
      recruiterId: staff.recruiter.id,
      compensation: { min: 90000, max: 120000, currency: 'EUR' },
      timezone: 'UTC',
    },
  });
  void sys;
  return { staff, assignmentId: assignment.id, openingId: opening.id, solution: zipDir(path.join(FIXTURE, 'reference')) };
}

export async function newApplication(api: Api, w: World, label: string): Promise<{ id: string; candidateId: string }> {
  const c = await api.must('setup', 'POST', '/api/v1/candidates', {
    token: w.staff.recruiter.token,
    json: {
      name: `Candidate ${label}`,
      email: `${label}-${randomBytes(4).toString('hex')}@example.com`,
      timezone: 'UTC',
      source: { kind: 'direct' },
    },
  });
  const app = await api.must('setup', 'POST', '/api/v1/applications', {
    token: w.staff.recruiter.token,
    json: { candidateId: c.id, openingId: w.openingId },
  });
  return { id: app.id, candidateId: c.id };
}

export interface TakeHomeCandidate {
  label: string;
  applicationId: string;
  token: string;
  key: string;
  /** Submission id from the first 2xx answer. */
  accepted?: string;
  attempts: number;
  failures: string[];
  gaveUp?: boolean;
}

/** A candidate at the take-home stage with an invitation (its portal token). */
export async function invitedCandidate(api: Api, w: World, label: string): Promise<TakeHomeCandidate> {
  const app = await newApplication(api, w, label);
  for (const to of ['manager_call', 'take_home'])
    await api.must('setup', 'POST', `/api/v1/applications/${app.id}/transitions`, { token: w.staff.recruiter.token, json: { to } });
  const inv = await api.must('setup', 'POST', `/api/v1/applications/${app.id}/invitations`, {
    token: w.staff.recruiter.token,
    json: { assignmentId: w.assignmentId },
  });
  return {
    label,
    applicationId: app.id,
    token: String(inv.portalUrl).split('/').pop()!,
    key: `upload-${randomBytes(8).toString('hex')}`,
    attempts: 0,
    failures: [],
  };
}

/**
 * The candidate signs the attestation and uploads, retrying (same Idempotency-Key) on anything
 * but a 2xx until `giveUpMs` passes: a network error, a 503 while a part is down, or the API
 * killed mid-upload.
 */
export async function submitTakeHome(api: Api, c: TakeHomeCandidate, solution: Buffer, giveUpMs: number, retryMs = 1500): Promise<void> {
  const end = Date.now() + giveUpMs;
  for (;;) {
    const a = await api.call('portal.attest', 'POST', `/api/v1/portal/${c.token}/attestation`, {
      json: { fullName: `Candidate ${c.label}`, agreed: true },
    });
    if (a.status === 200 || a.status === 201) break;
    c.failures.push(`attest ${a.status || a.error}`);
    if (Date.now() > end) return void (c.gaveUp = true);
    await sleep(retryMs);
  }
  for (;;) {
    c.attempts++;
    const form = new FormData();
    form.append('file', new Blob([solution]), 'solution.zip');
    const r = await api.call('portal.upload', 'POST', `/api/v1/portal/${c.token}/submission`, {
      form,
      headers: { 'Idempotency-Key': c.key },
    });
    if (r.status >= 200 && r.status < 300) {
      c.accepted = r.body.id;
      return;
    }
    c.failures.push(`upload ${r.status || r.error}`);
    if (r.status >= 400 && r.status < 500) return void (c.gaveUp = true); // our mistake, not the system's: report it
    if (Date.now() > end) return void (c.gaveUp = true);
    await sleep(retryMs);
  }
}

/**
 * A recruiter working a pool of applications until stopped: reads the application, its timeline
 * and the list, then moves it between the first two stages (each move writes a message).
 */
export async function recruiterLoop(
  api: Api,
  w: World,
  pool: string[],
  stop: () => boolean,
  pauseMs: number,
  opts: { screening?: boolean } = {},
): Promise<void> {
  const tok = w.staff.recruiter.token;
  while (!stop()) {
    const id = pool[Math.floor(Math.random() * pool.length)];
    const app = await api.call('read.application', 'GET', `/api/v1/applications/${id}`, { token: tok });
    await api.call('read.timeline', 'GET', `/api/v1/applications/${id}/events`, { token: tok });
    if (Math.random() < 0.3) await api.call('read.list', 'GET', `/api/v1/applications?openingId=${w.openingId}&limit=20`, { token: tok });
    if (app.status === 200 && app.body?.status === 'active') {
      const to = app.body.stage === 'recruiter_screen' ? 'manager_call' : 'recruiter_screen';
      await api.call('transition', 'POST', `/api/v1/applications/${id}/transitions`, { token: tok, json: { to } });
    }
    if (opts.screening && Math.random() < 0.3) await screeningCall(api, w, id);
    await sleep(pauseMs * (0.5 + Math.random()));
  }
}

const formCache = new Map<string, { version: number; questions: Array<{ id: string; answer?: string }> }>();

/** The recruiter's scripted call: read the opening's form, record the answers. */
export async function screeningCall(api: Api, w: World, applicationId: string): Promise<void> {
  const tok = w.staff.recruiter.token;
  let form = formCache.get(w.openingId);
  if (!form) {
    const r = await api.call('screening.form', 'GET', `/api/v1/openings/${w.openingId}/screening-form`, { token: tok });
    if (r.status !== 200) return;
    form = r.body as { version: number; questions: Array<{ id: string; answer?: string }> };
    formCache.set(w.openingId, form);
  }
  const answers = form.questions.map((q) => ({ questionId: q.id, given: Math.random() < 0.8 ? (q.answer ?? 'I do not know') : 'no idea' }));
  await api.call('screening.record', 'POST', `/api/v1/applications/${applicationId}/screenings`, { token: tok, json: { answers } });
}
