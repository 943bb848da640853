export * from './reply-address';
export * from './trim-reply';
export * from './reply-sla';
export * from './chat';
