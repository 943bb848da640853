export * from './sla';
