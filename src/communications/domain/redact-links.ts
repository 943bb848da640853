/**
 * The bearer secrets in a candidate's links: the take-home portal token (`/portal/<token>`) and
 * the HMAC of the privacy link (`/privacy/<id>?t=<hmac>`, `=` written `&#x3D;` in HTML). Anyone
 * holding them acts as the candidate, so they are never stored in a message body: the outbox
 * stores the body with each secret replaced by HIDDEN and the secrets themselves sealed
 * (`messages.secrets_enc`, see message-secrets.ts), and delivery puts them back at send time.
 * Staff views show the stored (redacted) body; redactCandidateLinks also covers older rows.
 */
export const HIDDEN = '[hidden]';

const PORTAL = /(\/portal\/)([A-Za-z0-9_-]{8,})/g;
const PRIVACY = /(\/privacy\/[0-9a-fA-F-]{36}\?(?:[^\s"'<>]*?&(?:amp;)?)?t(?:=|&#x3D;|&#61;))([A-Za-z0-9_-]+)/g;
const PORTAL_HIDDEN = /(\/portal\/)\[hidden\]/g;
const PRIVACY_HIDDEN = /(\/privacy\/[0-9a-fA-F-]{36}\?(?:[^\s"'<>]*?&(?:amp;)?)?t(?:=|&#x3D;|&#61;))\[hidden\]/g;

export function redactCandidateLinks(text: string | null | undefined): string | null {
  if (text == null) return null;
  return splitSecrets(text).redacted;
}

/** The secrets of one body, in order of appearance per kind. */
export interface BodySecrets {
  portal: string[];
  privacy: string[];
}

/** `body` with every link secret replaced by HIDDEN, and the secrets taken out (in order). */
export function splitSecrets(body: string): { redacted: string; secrets: BodySecrets } {
  const secrets: BodySecrets = { portal: [], privacy: [] };
  const redacted = body
    .replace(PORTAL, (_m, prefix: string, secret: string) => {
      if (secret === 'hidden') return _m;
      secrets.portal.push(secret);
      return `${prefix}${HIDDEN}`;
    })
    .replace(PRIVACY, (_m, prefix: string, secret: string) => {
      secrets.privacy.push(secret);
      return `${prefix}${HIDDEN}`;
    });
  return { redacted, secrets };
}

/** The inverse of splitSecrets: the n-th hidden link of each kind gets the n-th secret back. */
export function restoreSecrets(redacted: string, secrets: BodySecrets): string {
  let p = 0;
  let q = 0;
  return redacted
    .replace(PORTAL_HIDDEN, (m, prefix: string) => (p < secrets.portal.length ? `${prefix}${secrets.portal[p++]}` : m))
    .replace(PRIVACY_HIDDEN, (m, prefix: string) => (q < secrets.privacy.length ? `${prefix}${secrets.privacy[q++]}` : m));
}
