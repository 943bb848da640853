export * from './sla';
export * from './redact-links';
