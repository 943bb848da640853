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
  const redacted = replaceFrom(
    replaceFrom(body, '/portal/', PORTAL_AT, (m, prefix, secret) => {
      if (secret === 'hidden') return m;
      secrets.portal.push(secret);
      return `${prefix}${HIDDEN}`;
    }),
    '/privacy/',
    PRIVACY_AT,
    (_m, prefix, secret) => {
      secrets.privacy.push(secret);
      return `${prefix}${HIDDEN}`;
    },
  );
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

// PORTAL and PRIVACY anchored (sticky): tried only where their literal start occurs.
const PORTAL_AT = new RegExp(PORTAL.source, 'y');
const PRIVACY_AT = new RegExp(PRIVACY.source, 'y');

/**
 * `text.replace(global, fn)` for a pattern that starts with the literal `start` (`sticky` is the
 * pattern with the y flag): the same result, but the pattern is tried only where `start` occurs
 * (indexOf), not at every position of a body of several kilobytes (sweeps seal thousands).
 */
function replaceFrom(text: string, start: string, sticky: RegExp, fn: (m: string, prefix: string, secret: string) => string): string {
  // Pieces joined at the end: one flat string (slices and concatenations would keep the
  // unredacted body alive beside the redacted one).
  const out: string[] = [];
  let done = 0;
  for (let at = text.indexOf(start); at !== -1; ) {
    sticky.lastIndex = at;
    const m = sticky.exec(text);
    if (!m) {
      at = text.indexOf(start, at + 1);
      continue;
    }
    out.push(text.slice(done, at), fn(m[0], m[1], m[2]));
    done = at + m[0].length;
    at = text.indexOf(start, done);
  }
  if (done === 0) return text;
  out.push(text.slice(done));
  return out.join('');
}
