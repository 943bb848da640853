import { EntityManager } from 'typeorm';

/**
 * Every write to `slot_offers` (the self-scheduling offers a candidate picks a time from): review
 * offers (made by ReviewsService) and interview offers (interview-offers.service.ts) both go
 * through here, so the table has one owner (calendars). Erasure deletes rows by its own rule.
 */

export type OfferClosedBy = 'candidate' | 'staff' | 'expiry';
type Slot = { startsAt: Date | string; endsAt: Date | string };

interface NewOffer {
  applicationId: string;
  baseKey: string;
  round: number;
  tokenHash: string;
  slots: readonly Slot[];
  offeredAt: Date;
  expiresAt: Date;
}

/** A review offer; null when this round already exists (the caller's retry or a concurrent sweep). */
export async function insertReviewOffer(
  m: EntityManager,
  o: NewOffer & { language: string; submissionId?: string | null; exemptionId?: string | null },
): Promise<string | null> {
  const rows: Array<{ id: string }> = await m.query(
    `INSERT INTO slot_offers (application_id, kind, base_key, round, status, token_hash, language, submission_id, exemption_id, slots, offered_at, expires_at)
     VALUES ($1, 'review', $2, $3, 'open', $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id`,
    [
      o.applicationId,
      o.baseKey,
      o.round,
      o.tokenHash,
      o.language,
      o.submissionId ?? null,
      o.exemptionId ?? null,
      JSON.stringify(o.slots.map((x) => ({ startsAt: x.startsAt, endsAt: x.endsAt }))),
      o.offeredAt,
      o.expiresAt,
    ],
  );
  return rows[0]?.id ?? null;
}

/** An interview offer (the panel's plan kept with it). */
export async function insertInterviewOffer(m: EntityManager, o: NewOffer & { plan: unknown }): Promise<string> {
  const [{ id }]: Array<{ id: string }> = await m.query(
    `INSERT INTO slot_offers (application_id, kind, base_key, round, status, token_hash, plan, slots, offered_at, expires_at)
     VALUES ($1, 'interview', $2, $3, 'open', $4, $5, $6, $7, $8) RETURNING id`,
    [
      o.applicationId,
      o.baseKey,
      o.round,
      o.tokenHash,
      JSON.stringify(o.plan),
      JSON.stringify(o.slots.map((x) => ({ startsAt: x.startsAt, endsAt: x.endsAt }))),
      o.offeredAt,
      o.expiresAt,
    ],
  );
  return id;
}

/** Closes one offer: booked (with the review session, for review offers), expired or withdrawn. */
export async function closeOffer(
  m: EntityManager,
  id: string,
  status: 'booked' | 'expired' | 'withdrawn',
  closedBy: OfferClosedBy,
  at: Date,
  sessionId: string | null = null,
): Promise<void> {
  await m.query(
    `UPDATE slot_offers SET status = $2, closed_at = $3, closed_by = $4, session_id = COALESCE($5::uuid, session_id) WHERE id = $1`,
    [id, status, at, closedBy, sessionId],
  );
}

/** Withdraws an application's open offers of one kind (a new offer replaces them). */
export async function withdrawOpenOffers(
  m: EntityManager,
  applicationId: string,
  kind: 'review' | 'interview',
  closedBy: OfferClosedBy,
  at: Date,
): Promise<void> {
  await m.query(
    `UPDATE slot_offers SET status = 'withdrawn', closed_at = $2, closed_by = $4 WHERE application_id = $1 AND kind = $3 AND status = 'open'`,
    [applicationId, at, kind, closedBy],
  );
}

/** The interview sessions an interview offer's pick booked (in the plan's order). */
export async function setOfferSessions(m: EntityManager, id: string, sessionIds: string[]): Promise<void> {
  await m.query(`UPDATE slot_offers SET session_ids = $2::uuid[] WHERE id = $1`, [id, sessionIds]);
}
