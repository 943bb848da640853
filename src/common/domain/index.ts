export * from './business-days';
