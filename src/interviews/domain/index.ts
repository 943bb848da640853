export type { Instant } from './local-time';
export { addBusinessDays, nextBusinessDay } from './local-time';
export * from './loop-rules';
export * from './offer-rules';
export * from './onboarding';
export * from './interviewer-conflicts';
export * from './loop-slots';
