import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { Candidate } from '../candidates/candidate.entity';
import { notFound } from '../common/errors/application.exception';
import { Opening } from '../openings/opening.entity';
import { Application } from '../pipeline/application.entity';

export interface StaffPerson {
  id: string;
  name: string;
  email: string;
  timezone: string;
  disabledAt: Date | null;
}

/** Lock the application row (same order as ApplicationsService: the row first) and load what messages need. */
export async function lockApplication(m: EntityManager, id: string) {
  const locked: Array<{ id: string }> = await m.query(`SELECT id FROM applications WHERE id = $1 FOR UPDATE`, [id]);
  if (!locked.length) throw notFound('Application');
  const app = await m.findOneOrFail(Application, { where: { id } });
  const opening = await m.findOneOrFail(Opening, { where: { id: app.openingId } });
  const candidate = await m.findOneOrFail(Candidate, { where: { id: app.candidateId } });
  const [recruiter] = await staffByIds(m, [opening.recruiterId]);
  return { app, opening, candidate, recruiter };
}

export type LockedApplication = Awaited<ReturnType<typeof lockApplication>>;

export async function staffByIds(m: EntityManager, ids: string[]): Promise<StaffPerson[]> {
  if (!ids.length) return [];
  const rows: Array<{ id: string; name: string; email: string; timezone: string | null; disabled_at: Date | null }> = await m.query(
    `SELECT id, name, email, timezone, disabled_at FROM users WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  const byId = new Map(
    rows.map((r) => [r.id, { id: r.id, name: r.name, email: r.email, timezone: r.timezone || 'UTC', disabledAt: r.disabled_at }]),
  );
  return ids.map((id) => byId.get(id)).filter((x): x is StaffPerson => !!x);
}

/** "system_design" -> "System design". */
export function kindName(kind: string): string {
  const words = kind.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "Erin", "Erin and Sam", "Erin, Sam and Kim". */
export function namesList(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** ISO string (offset or Z; no offset = UTC) -> Date. */
export function parseInstant(iso: string): Date {
  return DateTime.fromISO(iso, { zone: 'utc' }).toJSDate();
}

export function money(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en', {
      style: 'currency',
      currency,
      maximumFractionDigits: 2,
      minimumFractionDigits: Number.isInteger(amount) ? 0 : 2,
    }).format(amount);
  } catch {
    return `${currency} ${amount}`;
  }
}
