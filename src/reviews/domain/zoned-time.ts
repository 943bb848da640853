// Shared time helpers live in src/common/domain/zoned-time.ts.
export * from '../../common/domain/zoned-time';
