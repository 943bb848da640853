/**
 * Where a public application came from, from the careers link it was made through:
 *  - `?ref=<staff user id>`: an employee's personal referral link (the referrer is recorded);
 *  - `?source=<name>`: a tracked link for a job board (`?source=linkedin`), a partner
 *    (`?source=partner:codebar`) or the internship programme (`?source=internship`);
 *  - neither: the careers page itself.
 */
export interface ApplicationSource {
  kind: 'referral' | 'internship' | 'partner' | 'job_board' | 'direct' | 'other';
  detail: string | null;
  referrerId?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const CAREERS_PAGE_DETAIL = 'careers page';

/** A tracked source value: letters, digits, spaces, '.', '_', '-', ':' (at most 60 characters). */
export function cleanSourceValue(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const v = raw.trim().slice(0, 60);
  return /^[\p{L}\p{N} ._:-]+$/u.test(v) ? v : null;
}

export function sourceFromLink(params: { source?: unknown; ref?: unknown }): ApplicationSource {
  if (typeof params.ref === 'string' && UUID.test(params.ref.trim()))
    return { kind: 'referral', detail: null, referrerId: params.ref.trim().toLowerCase() };
  const v = cleanSourceValue(params.source);
  if (!v) return { kind: 'direct', detail: CAREERS_PAGE_DETAIL };
  const lower = v.toLowerCase();
  if (lower === 'internship') return { kind: 'internship', detail: null };
  if (lower.startsWith('partner:') && v.slice(8).trim()) return { kind: 'partner', detail: v.slice(8).trim() };
  return { kind: 'job_board', detail: v };
}

/** Plain words for a source (pages and the CSV export never show internal keys). */
export function describeSource(kind: string | null, detail: string | null): string {
  const base: Record<string, string> = {
    referral: 'Referral',
    internship: 'Internship',
    partner: 'Partner',
    job_board: 'Job board',
    direct: 'Direct',
    other: 'Other',
  };
  const label = base[kind ?? ''] ?? 'Unknown';
  return detail ? `${label} (${detail})` : label;
}

const CODE_HOSTS = ['github.com', 'gitlab.com', 'bitbucket.org', 'codeberg.org', 'sr.ht', 'git.sr.ht', 'sourceforge.net'];

/** A link to public code (GitHub and the like) feeds the public-code exemption; others are just links. */
export function isPublicCodeUrl(url: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return false;
    const host = u.hostname.toLowerCase().replace(/^www\./, '');
    return CODE_HOSTS.some((h) => host === h || host.endsWith(`.${h}`)) && u.pathname.replace(/\/+$/, '').length > 1;
  } catch {
    return false;
  }
}
