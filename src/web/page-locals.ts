import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Extra values for the page being rendered in this request, contributed by modules whose partials
 * sit on another module's page (e.g. the scorecards' decision on the application page and the
 * board). ViewService.render merges them under the page's own context.
 */
export const PAGE_LOCALS = new AsyncLocalStorage<Record<string, unknown>>();
