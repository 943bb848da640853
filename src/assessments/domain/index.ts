export * from './candidate-view';
export * from './feedback';
export * from './markdown';
export * from './policy';
export * from './publish-check';
export * from './tokens';
export * from './integrity-notes';
