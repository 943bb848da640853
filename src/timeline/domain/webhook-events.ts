/** Event types a webhook endpoint can subscribe to (a subset of the timeline's event codes). */
export const WEBHOOK_EVENTS = [
  'application.created',
  'stage.changed',
  'application.rejected',
  'application.hired',
  'submission.graded',
  'review.scheduled',
  'alert.raised',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
const SUBSCRIBABLE = new Set<string>(WEBHOOK_EVENTS);
export const isWebhookEvent = (type: string): type is WebhookEvent => SUBSCRIBABLE.has(type);

/**
 * Fields of the timeline event's data a receiver gets, per type: identifiers, stages, statuses,
 * times and counts, never free text (notes, reasons, messages) or contact details. The
 * application, opening and candidate ids are added to every payload.
 */
const FIELDS: Record<WebhookEvent, string[]> = {
  'application.created': ['stage'],
  'stage.changed': ['from', 'to', 'kind', 'skipped', 'stageVisit', 'usedPublicCodeExemption'],
  'application.rejected': ['stage'],
  'application.hired': ['stage'],
  'submission.graded': ['submissionId', 'seq', 'status', 'total', 'passed', 'failed', 'errors', 'skipped', 'durationMs'],
  'review.scheduled': ['reviewId', 'startsAt', 'endsAt', 'rescheduled', 'sequence', 'language'],
  'alert.raised': ['alertId', 'kind', 'recipientId', 'stage'],
};

export function webhookData(type: WebhookEvent, data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of FIELDS[type]) if (data[k] !== undefined) out[k] = data[k];
  return out;
}

/** The body as sent (and signed): keys in a fixed, readable order. */
export function serializePayload(p: { id: unknown; type: unknown; occurredAt: unknown; data: unknown }): string {
  return JSON.stringify({ id: p.id, type: p.type, occurredAt: p.occurredAt, data: p.data });
}
