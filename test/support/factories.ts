import { randomBytes } from 'node:crypto';
import { Role } from '../../src/identity/user.entity';
import { TestApp } from '../setup/test-app';

export interface World {
  admin: { token: string; id: string };
  recruiter: { token: string; id: string; email: string };
  manager: { token: string; id: string; email: string };
}

export async function makeWorld(t: TestApp): Promise<World> {
  return {
    admin: await t.login([Role.Admin]),
    recruiter: await t.login([Role.Recruiter]),
    manager: await t.login([Role.HiringManager]),
  };
}

export const auth = (token: string) => ({ authorization: `Bearer ${token}` });

export async function makeOpening(t: TestApp, w: World, extra: Record<string, unknown> = {}) {
  const res = await t.http
    .post('/api/v1/openings')
    .set(auth(w.manager.token))
    .send({
      title: `Backend Engineer ${randomBytes(4).toString('hex')}`,
      hiringManagerId: w.manager.id,
      recruiterId: w.recruiter.id,
      compensation: { min: 90000, max: 120000, currency: 'EUR' },
      timezone: 'UTC',
      ...extra,
    });
  if (res.status !== 201) throw new Error(`opening: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as {
    id: string;
    title: string;
    stages: Array<{ key: string; name: string; kind: string; contactSlaBusinessDays: number; staleAfterBusinessDays: number }>;
  };
}

export async function makeCandidate(t: TestApp, w: World, extra: Record<string, unknown> = {}) {
  const res = await t.http
    .post('/api/v1/candidates')
    .set(auth(w.recruiter.token))
    .send({
      name: 'Grace Hopper',
      email: `grace-${randomBytes(4).toString('hex')}@example.com`,
      timezone: 'UTC',
      source: { kind: 'direct' },
      ...extra,
    });
  if (res.status !== 201) throw new Error(`candidate: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; email: string; name: string };
}

export async function makeApplication(t: TestApp, w: World, openingId: string, candidateId: string) {
  const res = await t.http.post('/api/v1/applications').set(auth(w.recruiter.token)).send({ candidateId, openingId });
  if (res.status !== 201) throw new Error(`application: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; stage: string; status: string };
}

/** Working hours most suites give a reviewer: 09:00-17:00, Monday to Friday. */
export const OFFICE_HOURS = { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] };

/** Sets a staff member's reviewer profile (languages, zone, office hours) through the API. */
export async function setReviewerProfile(t: TestApp, person: { id: string; token: string }, languages: string[], timezone: string) {
  const res = await t.http
    .put(`/api/v1/users/${person.id}/reviewer-profile`)
    .set(auth(person.token))
    .send({ languages, timezone, workingHours: OFFICE_HOURS });
  if (res.status !== 200) throw new Error(`reviewer profile: ${res.status} ${JSON.stringify(res.body)}`);
  return person;
}

/** A new engineer who reviews code in `languages`, working office hours in `timezone`. */
export async function makeReviewer(t: TestApp, languages: string[], timezone = 'Europe/Berlin') {
  return setReviewerProfile(t, await t.login([Role.Engineer]), languages, timezone);
}

/** The recruiter accepts the candidate's public code instead of the take-home (the application enters code review). */
export async function acceptPublicCode(t: TestApp, w: World, applicationId: string, language = 'python') {
  const res = await t.http
    .post(`/api/v1/applications/${applicationId}/exemptions`)
    .set(auth(w.recruiter.token))
    .send({ kind: 'public_code', url: 'https://github.com/example/lib', reason: 'Maintainer', language });
  if (res.status !== 201) throw new Error(`exemption: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
