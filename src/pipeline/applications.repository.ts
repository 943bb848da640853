import { EntityManager } from 'typeorm';
import { rowsOf } from '../common/database/rows';
import { SqlParams } from '../common/database/sql-params';

/*
 * Writes to `applications` that other modules make as part of their own statement or transaction
 * (the pipeline's own moves are in ApplicationsService). Pure functions over the caller's
 * EntityManager or statement, importing only `common`, so modules below the pipeline
 * (communications) can use them without depending on it.
 */

/** The contact clock (`last_contact_at`): never moves back. */
const TOUCH = (at: string) => `last_contact_at = GREATEST(coalesce(last_contact_at, ${at}), ${at})`;

/** A contact with the candidate (a call, an e-mail sent): restarts the contact SLA clock. */
export async function touchLastContact(m: EntityManager, applicationId: string, at: Date): Promise<void> {
  await m.query(`UPDATE applications SET ${TOUCH('$2::timestamptz')} WHERE id = $1`, [applicationId, at]);
}

/**
 * touchLastContact as a CTE of a larger statement: the applications named by `gate`'s
 * `application_id` column (rows where `where` holds) are touched at `at`.
 */
export function touchLastContactCte(p: SqlParams, name: string, gate: string, where: string, at: Date): string {
  return `${name} AS (
       UPDATE applications SET ${TOUCH(p.add(at, '::timestamptz'))}
         FROM ${gate} WHERE applications.id = ${gate}.application_id AND ${where}
       RETURNING applications.id
     )`;
}

/** Erasure: the person's active applications are withdrawn (the caller records the events). */
export async function withdrawAll(
  m: EntityManager,
  applicationIds: readonly string[],
  at: Date,
): Promise<Array<{ id: string; stage: string }>> {
  if (!applicationIds.length) return [];
  return rowsOf(
    await m.query(
      `UPDATE applications SET status = 'withdrawn', closed_at = $2, version = version + 1, updated_at = $2
        WHERE id = ANY($1::uuid[]) AND status = 'active' RETURNING id, stage`,
      [applicationIds, at],
    ),
  );
}
