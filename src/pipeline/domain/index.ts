export * from './stages';
export * from './transitions';
