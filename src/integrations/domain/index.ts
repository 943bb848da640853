export * from './address-policy';
export * from './retry';
export * from './signature';
