import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ENV } from '../common/config/config.module';
import { Env } from '../common/config/env.schema';
import { IdentityService } from '../identity/identity.service';
import { Role } from '../identity/user.entity';
import { seedAssessmentsDemo } from '../assessments/demo-seed';
import { seedPipelineDemo } from '../pipeline/demo-seed';

export const DEMO_PASSWORD = 'demo-password-1';
export const DEMO_USERS = [
  { email: 'admin@demo.local', name: 'Ada Admin', roles: [Role.Admin], timezone: 'Europe/London' },
  { email: 'recruiter@demo.local', name: 'Rita Recruiter', roles: [Role.Recruiter], timezone: 'America/New_York' },
  { email: 'manager@demo.local', name: 'Hank Manager', roles: [Role.HiringManager], timezone: 'America/New_York' },
  { email: 'engineer@demo.local', name: 'Erin Engineer', roles: [Role.Engineer], timezone: 'Europe/Berlin' },
  { email: 'engineer2@demo.local', name: 'Pat Python', roles: [Role.Engineer], timezone: 'America/Chicago' },
];

export type SeedStep = (app: INestApplicationContext, users: Record<string, string>) => Promise<void>;
/** Later modules add demo data (openings, candidates, assignments) by pushing a step here. */
export const SEED_STEPS: SeedStep[] = [seedPipelineDemo, seedAssessmentsDemo];

/**
 * Demo data for a newcomer; runs only when the database has no users. The first admin from
 * ADMIN_EMAIL (created as the process starts) does not count, so the README's demo logins exist on
 * a first start with ADMIN_EMAIL set too. Returns false when skipped.
 */
export async function seedDemo(app: INestApplicationContext, opts: { force?: boolean } = {}): Promise<boolean> {
  const ds = app.get(DataSource);
  let adminEmail = '';
  try {
    adminEmail = app.get<Env>(ENV, { strict: false })?.ADMIN_EMAIL ?? '';
  } catch {
    adminEmail = process.env.ADMIN_EMAIL ?? '';
  }
  const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM users WHERE lower(email) <> lower($1)', [adminEmail]);
  if (n > 0 && !opts.force) return false;
  const identity = app.get(IdentityService);
  const ids: Record<string, string> = {};
  for (const u of DEMO_USERS) {
    const existing = await identity.findByEmail(u.email);
    ids[u.email] = existing?.id ?? (await identity.createUser({ ...u, password: DEMO_PASSWORD })).id;
  }
  await identity.putReviewerProfile(ids['engineer@demo.local'], {
    languages: ['javascript', 'typescript', 'node'],
    timezone: 'Europe/Berlin',
    workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
  });
  await identity.putReviewerProfile(ids['engineer2@demo.local'], {
    languages: ['python'],
    timezone: 'America/Chicago',
    workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
  });
  for (const step of SEED_STEPS) await step(app, ids);
  return true;
}
