import type { Request } from 'express';

/**
 * The HTML error page for browsers. Provided by the web module (it knows the layout and the
 * signed-in header); without it (worker, cli, API-only tests) errors are answered as JSON.
 */
export const ERROR_PAGE = Symbol('ERROR_PAGE');

export interface ErrorPage {
  /** The page for `req`; `lookUpUser` false when the database is known to be down. */
  render(req: Request, page: { status: number; heading: string; message: string; hint?: string }, lookUpUser: boolean): Promise<string>;
}
