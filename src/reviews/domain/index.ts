export * from './zoned-time';
export * from './reviewer-match';
export * from './slot-search';
export type { FocusExcerpt, FocusOptions, NamingConvention, StyledBlock, SubmissionFile } from './focus-excerpt';
export { NOTABLE_SCORE, analyseSubmission, findFocusExcerpt, isNotable, isTestPath, namingConvention } from './focus-excerpt';
export type { CodeBlock, SourceLanguage } from './focus-scan';
export { extractBlocks, languageOf } from './focus-scan';
