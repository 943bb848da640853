export type { IcsPerson, Instant, InviteInput, InviteMethod } from './ics';
export { DEFAULT_PRODUCT_ID, buildInvite, escapeText, foldLine, formatIcsUtc, formatInZone, quoteParam, stableUid } from './ics';
