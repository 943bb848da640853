// The domain modules every process loads (the API adds its controllers through them).
export const DOMAIN_MODULES: any[] = [];
// Queue consumers, loaded only by the worker process.
export const WORKER_MODULES: any[] = [];
