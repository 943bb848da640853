export * from './address-policy';
export * from './events';
export * from './retry';
export * from './signature';
