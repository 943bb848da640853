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
      title: `Backend Engineer ${randomBytes(2).toString('hex')}`,
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
