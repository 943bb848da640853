export * from './decision-rule';
export * from './feedback-due';
export * from './scorecard-template';
export * from './visibility';
