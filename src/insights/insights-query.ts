import { DateTime } from 'luxon';
import { badRequest } from '../common/errors/application.exception';
import { InsightsQuery } from './insights.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * ?openingId=&from=&to=&by=source. `from` and `to` are ISO instants or dates; a date alone is UTC
 * and inclusive: from=2027-01-01 starts at its midnight, to=2027-01-31 ends at the next midnight.
 * The window is [from, to); without `to` it ends now.
 */
export function parseInsightsQuery(q: Record<string, unknown>): InsightsQuery {
  const fields: Array<{ field: string; errors: string[] }> = [];
  const str = (k: string) => (typeof q[k] === 'string' && (q[k] as string).trim() !== '' ? (q[k] as string).trim() : undefined);
  const openingId = str('openingId');
  if (openingId && !UUID.test(openingId)) fields.push({ field: 'openingId', errors: ['must be a UUID'] });
  const instant = (k: 'from' | 'to'): Date | undefined => {
    const v = str(k);
    if (!v) return undefined;
    const d = DateTime.fromISO(v, { zone: 'utc' });
    if (!d.isValid) {
      fields.push({ field: k, errors: ['must be an ISO date (2027-01-31) or instant (2027-01-31T12:00:00Z)'] });
      return undefined;
    }
    return (k === 'to' && DATE_ONLY.test(v) ? d.plus({ days: 1 }) : d).toJSDate();
  };
  const from = instant('from');
  const to = instant('to');
  const by = str('by');
  if (by && by !== 'source') fields.push({ field: 'by', errors: ['must be "source" (the bySource section is always included)'] });
  if (from && to && from.getTime() >= to.getTime()) fields.push({ field: 'to', errors: ['must be after from'] });
  if (fields.length) throw badRequest(`Invalid fields: ${fields.map((f) => `${f.field} (${f.errors.join('; ')})`).join(', ')}`, { fields });
  return { openingId, from, to };
}
