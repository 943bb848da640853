export * from './stale';
