import { createHmac, timingSafeEqual } from 'node:crypto';

/** The mailbox part of MAIL_FROM ("Hiring <hiring@example.com>" -> hiring@example.com). */
export function mailboxOf(mailFrom: string): { local: string; domain: string } {
  const m = /<([^<>@\s]+)@([^<>@\s]+)>\s*$/.exec(mailFrom) ?? /^\s*([^<>@\s]+)@([^<>@\s]+)\s*$/.exec(mailFrom);
  if (!m) throw new Error(`MAIL_FROM "${mailFrom}" has no address`);
  return { local: m[1].split('+')[0], domain: m[2].toLowerCase() };
}

function tag(secret: string, applicationId: string): string {
  return createHmac('sha256', secret).update(`reply-address:${applicationId.toLowerCase()}`).digest('hex').slice(0, 10);
}

/**
 * The per-application reply address: plus-addressing on MAIL_FROM's mailbox,
 * `hiring+a<32 hex of the application id>.<10 hex of an HMAC>@example.com`. The HMAC means a
 * stranger who learns an application id cannot file mail onto it by writing to the address.
 */
export function replyAddress(mailFrom: string, applicationId: string, secret: string): string {
  const { local, domain } = mailboxOf(mailFrom);
  return `${local}+a${applicationId.replace(/-/g, '').toLowerCase()}.${tag(secret, applicationId)}@${domain}`;
}

/** The application id a reply address names, or null (another mailbox, a bad or forged tag). */
export function parseReplyAddress(address: string, mailFrom: string, secret: string): string | null {
  const { local, domain } = mailboxOf(mailFrom);
  const m = /^([^+@\s]+)\+a([0-9a-f]{32})\.([0-9a-f]{10})@([^@\s]+)$/i.exec(address.trim());
  if (!m || m[1].toLowerCase() !== local.toLowerCase() || m[4].toLowerCase() !== domain) return null;
  const hex = m[2].toLowerCase();
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const want = Buffer.from(tag(secret, id));
  const got = Buffer.from(m[3].toLowerCase());
  return want.length === got.length && timingSafeEqual(want, got) ? id : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Our outbound Message-IDs are `<message-uuid@PUBLIC_URL host>` (mail-transport.ts). Returns the
 * message uuids among the ids a reply's In-Reply-To and References name, In-Reply-To first,
 * then References from the newest (last) back. Ids on other hosts are ignored.
 */
export function ourMessageIds(inReplyTo: string | null | undefined, references: readonly string[], host: string): string[] {
  const ids = [...splitIds(inReplyTo ?? ''), ...[...references].reverse().flatMap(splitIds)];
  const out: string[] = [];
  for (const id of ids.slice(0, 200)) {
    const at = id.lastIndexOf('@');
    if (at <= 0) continue;
    const left = id.slice(0, at);
    if (id.slice(at + 1).toLowerCase() !== host.toLowerCase() || !UUID.test(left)) continue;
    if (!out.includes(left.toLowerCase())) out.push(left.toLowerCase());
  }
  return out;
}

/** `<a@b> <c@d>` -> ['a@b', 'c@d'] (angle brackets stripped, at most 100 ids per header). */
export function splitIds(header: string): string[] {
  const found = header.slice(0, 20_000).match(/<[^<>\s]{1,250}>/g) ?? [];
  const ids = found.length ? found.map((x) => x.slice(1, -1)) : header.split(/\s+/).filter((x) => /^[^<>\s@]+@[^<>\s@]+$/.test(x));
  return ids.slice(0, 100);
}
