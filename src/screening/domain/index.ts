export * from './scoring';
export * from './lint';
