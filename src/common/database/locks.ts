/**
 * Transaction-scoped advisory lock keys (pg_advisory_xact_lock). One key per shared resource, so
 * two features that book the same people serialise against each other.
 */
/** Staff calendars: code-review slot searches and interview-loop bookings. */
export const STAFF_CALENDAR_LOCK = 5_550_001;
/** Careers applications from one address (with the address's hash as the second key). */
export const CAREERS_ATTEMPTS_LOCK = 5_550_002;
