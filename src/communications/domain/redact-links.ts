/**
 * Message bodies stored in the outbox are what the candidate received, including the bearer
 * secrets in their links: the take-home portal token (`/portal/<token>`) and the HMAC of the
 * privacy link (`/privacy/<id>?t=<hmac>`). Anyone holding those acts as the candidate, so staff
 * views of a message show the links with the secret replaced. Delivery uses the stored body as is.
 */
export const HIDDEN = '[hidden]';

const PORTAL = /(\/portal\/)[A-Za-z0-9_-]{8,}/g;
const PRIVACY = /(\/privacy\/[0-9a-fA-F-]{36}\?(?:[^\s"'<>]*&(?:amp;)?)?t=)[A-Za-z0-9_-]+/g;

export function redactCandidateLinks(text: string | null | undefined): string | null {
  if (text == null) return null;
  return text.replace(PORTAL, `$1${HIDDEN}`).replace(PRIVACY, `$1${HIDDEN}`);
}
