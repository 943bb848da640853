import { createHmac, timingSafeEqual } from 'node:crypto';
import { purposeKey } from '../common/config/keys';

/**
 * The survey link is `/portal/<token>/survey`, the token one base64url string: the application
 * id's 16 bytes and 16 bytes of an HMAC of it (key purpose 'survey-link'). Nobody reaches another
 * application's survey by guessing, and, being shaped like a take-home portal token, the outbox
 * keeps it out of stored message bodies (communications/domain/redact-links.ts).
 */
const mac = (secret: string, applicationId: string) =>
  createHmac('sha256', purposeKey(secret, 'survey-link')).update(`survey:v1:${applicationId.toLowerCase()}`).digest().subarray(0, 16);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function surveyToken(secret: string, applicationId: string): string {
  const id = Buffer.from(applicationId.replace(/-/g, ''), 'hex');
  return Buffer.concat([id, mac(secret, applicationId)]).toString('base64url');
}

/** The application id a token stands for, or null when it is not one of ours. */
export function readSurveyToken(secret: string, token: unknown): string | null {
  if (typeof token !== 'string' || token.length !== 43 || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== 32) return null;
  const hex = raw.subarray(0, 16).toString('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  if (!UUID.test(id)) return null;
  return timingSafeEqual(raw.subarray(16), mac(secret, id)) ? id : null;
}

/** `${publicUrl}/portal/<token>/survey` (publicUrl may be '' for a same-site link). */
export function surveyLink(publicUrl: string, applicationId: string, secret: string): string {
  return `${publicUrl}/portal/${surveyToken(secret, applicationId)}/survey`;
}
