import { XMLParser } from 'fast-xml-parser';

/**
 * The WebDAV/CalDAV XML we send (RFC 4918 PROPFIND, RFC 4791 calendar-query) and a parser for the
 * multistatus answers. Answers with a DOCTYPE are refused before parsing: entity definitions are
 * how XML bombs ("billion laughs") and external entities get in, and no calendar server needs one.
 */
export class CalDavXmlError extends Error {}

export const PROPFIND_DISCOVERY = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop>
    <d:resourcetype/>
    <d:displayname/>
    <d:current-user-principal/>
    <c:calendar-home-set/>
    <c:supported-calendar-component-set/>
  </d:prop>
</d:propfind>`;

/** yyyymmddThhmmssZ */
export function caldavUtc(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

export function calendarQuery(from: Date, to: Date): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:getetag/><c:calendar-data/></d:prop>
  <c:filter>
    <c:comp-filter name="VCALENDAR">
      <c:comp-filter name="VEVENT">
        <c:time-range start="${caldavUtc(from)}" end="${caldavUtc(to)}"/>
      </c:comp-filter>
    </c:comp-filter>
  </c:filter>
</c:calendar-query>`;
}

export interface DavResponse {
  href: string;
  /** Properties found (status 2xx), namespace prefixes removed. */
  props: Record<string, unknown>;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => ['response', 'propstat', 'href', 'comp'].includes(name),
});

export function parseMultistatus(xml: string): DavResponse[] {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new CalDavXmlError('the server answered XML with a DOCTYPE or entity definitions; refused');
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch (e) {
    throw new CalDavXmlError(`the server's answer is not well-formed XML: ${(e as Error).message.slice(0, 160)}`);
  }
  if (!('multistatus' in doc)) throw new CalDavXmlError('the server did not answer a WebDAV multistatus');
  // An empty <multistatus/> (an empty calendar) parses as an empty string.
  const ms = (typeof doc.multistatus === 'object' && doc.multistatus ? doc.multistatus : {}) as {
    response?: Array<Record<string, unknown>>;
  };
  return (ms.response ?? []).map((r) => {
    const href = decodeHref(text((r.href as unknown[] | undefined)?.[0]));
    const props: Record<string, unknown> = {};
    for (const ps of (r.propstat as Array<Record<string, unknown>> | undefined) ?? []) {
      const status = text(ps.status);
      if (status && !/\s2\d\d\s?/.test(status)) continue;
      Object.assign(props, (ps.prop as Record<string, unknown>) ?? {});
    }
    return { href, props };
  });
}

function decodeHref(h: string): string {
  return h.trim();
}

/** The text content of a parsed node (strings, or objects with #text). */
export function text(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (Array.isArray(node)) return text(node[0]);
  if (typeof node === 'object' && '#text' in (node as Record<string, unknown>)) return text((node as Record<string, unknown>)['#text']);
  return '';
}

/** The first href inside a property such as current-user-principal or calendar-home-set. */
export function hrefIn(prop: unknown): string | null {
  if (!prop || typeof prop !== 'object') return null;
  const hrefs = (prop as Record<string, unknown>).href;
  const h = text(hrefs);
  return h ? h.trim() : null;
}

export function isCalendar(props: Record<string, unknown>): boolean {
  const rt = props.resourcetype;
  return !!rt && typeof rt === 'object' && 'calendar' in (rt as Record<string, unknown>);
}

/** True unless the collection lists its components and VEVENT is not among them (a task list). */
export function holdsEvents(props: Record<string, unknown>): boolean {
  const set = props['supported-calendar-component-set'];
  if (!set || typeof set !== 'object') return true;
  const comps = ((set as Record<string, unknown>).comp as Array<Record<string, unknown>> | undefined) ?? [];
  if (!comps.length) return true;
  return comps.some((c) => String(c['@_name'] ?? '').toUpperCase() === 'VEVENT');
}
