/**
 * When a candidate's personal data expires, as SQL over `c` (candidates) with $g = the default
 * retention in months: the latest of
 *  - each application's close + its opening's retention_months (or the default),
 *  - the candidate's creation + the default (a candidate who never applied),
 *  - consent + the default (consent to be kept, e.g. for future openings, renews the period).
 * Candidates with an active application never expire (see the sweep's filter).
 */
export const EXPIRES_AT_SQL = `greatest(
  coalesce(
    (SELECT max(coalesce(a.closed_at, a.updated_at) + make_interval(months => coalesce(o.retention_months, $g)))
       FROM applications a JOIN openings o ON o.id = a.opening_id WHERE a.candidate_id = c.id),
    c.created_at + make_interval(months => $g)),
  coalesce(c.consent_at + make_interval(months => $g), '-infinity'::timestamptz))`;

export const expiresAtSql = (param: number) => EXPIRES_AT_SQL.replace(/\$g/g, `$${param}::int`);
