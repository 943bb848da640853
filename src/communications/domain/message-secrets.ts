import { seal, unseal } from '../../integrations/secret-box';
import { BodySecrets, restoreSecrets, splitSecrets } from './redact-links';

/**
 * A rendered message as the outbox stores it: the bodies with every link secret HIDDEN, and the
 * secrets sealed with the 'message-secrets' key (AES-256-GCM, keys.ts) or null when there are none.
 * Only delivery opens them (reveal), right before handing the message to SMTP.
 */
export function protect(
  rootSecret: string,
  body: { html: string; text: string },
): { html: string; text: string; secretsEnc: string | null } {
  const html = splitSecrets(body.html);
  const text = splitSecrets(body.text);
  const none = (s: BodySecrets) => !s.portal.length && !s.privacy.length;
  if (none(html.secrets) && none(text.secrets)) return { html: html.redacted, text: text.redacted, secretsEnc: null };
  return {
    html: html.redacted,
    text: text.redacted,
    secretsEnc: seal(rootSecret, 'message-secrets', JSON.stringify({ html: html.secrets, text: text.secrets })),
  };
}

/** The bodies as the recipient gets them. Throws when the secrets cannot be opened (root secret changed). */
export function reveal(rootSecret: string, m: { html: string; text: string; secretsEnc: string | null }): { html: string; text: string } {
  if (!m.secretsEnc) return { html: m.html, text: m.text };
  let s: { html: BodySecrets; text: BodySecrets };
  try {
    s = JSON.parse(unseal(rootSecret, 'message-secrets', m.secretsEnc));
  } catch {
    throw new Error('the links of this message cannot be decrypted (was SESSION_SECRET changed?)');
  }
  return { html: restoreSecrets(m.html, s.html), text: restoreSecrets(m.text, s.text) };
}
