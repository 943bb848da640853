import { CalendarAccessError, calendarFetch, CalendarHttpOptions, CalendarResponse } from './calendar-http';
import {
  CalDavXmlError,
  calendarQuery,
  hrefIn,
  holdsEvents,
  isCalendar,
  parseMultistatus,
  PROPFIND_DISCOVERY,
  text,
} from './domain/caldav-xml';

import { BusyInterval } from './domain/busy-expansion';
import { freeBusyQuery, parseFreeBusy } from './domain/free-busy';

export interface CalendarCredentials {
  username?: string | null;
  /** With a username: Basic auth; alone: a bearer token. */
  password?: string | null;
}

function authHeader(c: CalendarCredentials): Record<string, string> {
  if (c.username && c.password) return { authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` };
  if (c.password) return { authorization: `Bearer ${c.password}` };
  return {};
}

function refuse(res: CalendarResponse, what: string): never {
  if (res.status === 401 || res.status === 403)
    throw new CalendarAccessError(`the calendar server refused the credentials (${res.status}) when ${what}`, res.status);
  if (res.status === 404) throw new CalendarAccessError(`nothing was found at ${res.url} (404) when ${what}`, 404);
  throw new CalendarAccessError(`the calendar server answered ${res.status} when ${what}`, res.status);
}

/**
 * A CalDAV client (RFC 4791): discovery from a principal, a calendar home or a calendar URL (or
 * the server's root, through /.well-known/caldav, RFC 6764), events in a time range by
 * calendar-query, and write-back of the platform's own events by PUT/DELETE.
 */
export class CalDavClient {
  constructor(
    private readonly creds: CalendarCredentials,
    private readonly http: CalendarHttpOptions,
  ) {}

  private async dav(method: string, url: string, body: string | undefined, depth: '0' | '1', what: string) {
    const res = await calendarFetch(
      {
        method,
        url,
        body,
        headers: { ...authHeader(this.creds), depth, 'content-type': 'application/xml; charset=utf-8' },
      },
      this.http,
    );
    if (res.status !== 207) refuse(res, what);
    try {
      return { responses: parseMultistatus(res.body), url: res.url };
    } catch (e) {
      if (e instanceof CalDavXmlError) throw new CalendarAccessError(`${e.message} (when ${what})`);
      throw e;
    }
  }

  /** The calendar collections holding events that `url` leads to; the first is where the platform writes. */
  async discover(url: string): Promise<string[]> {
    const seen = new Set<string>();
    const visit = async (target: string, depthLeft: number): Promise<string[]> => {
      if (seen.has(target) || depthLeft < 0) return [];
      seen.add(target);
      const { responses } = await this.dav('PROPFIND', target, PROPFIND_DISCOVERY, '0', 'discovering the calendar');
      const self = responses[0]?.props ?? {};
      if (isCalendar(self)) return holdsEvents(self) ? [target] : [];
      const home = hrefIn(self['calendar-home-set']);
      if (home) return this.calendarsIn(new URL(home, target).toString());
      const principal = hrefIn(self['current-user-principal']);
      if (principal) return visit(new URL(principal, target).toString(), depthLeft - 1);
      const u = new URL(target);
      if (u.pathname === '/' || u.pathname === '') return visit(new URL('/.well-known/caldav', target).toString(), depthLeft - 1);
      return [];
    };
    const found = await visit(url, 3);
    if (!found.length)
      throw new CalendarAccessError('no calendar with events was found at this URL (give a principal, calendar home or calendar URL)');
    return found;
  }

  private async calendarsIn(home: string): Promise<string[]> {
    const { responses } = await this.dav('PROPFIND', home, PROPFIND_DISCOVERY, '1', 'listing the calendars');
    return responses
      .filter((r) => isCalendar(r.props) && holdsEvents(r.props))
      .map((r) => new URL(r.href, home).toString())
      .filter((u) => u !== home);
  }

  /** The iCalendar texts of the events overlapping [from, to). */
  async events(calendarUrl: string, from: Date, to: Date): Promise<string[]> {
    const { responses } = await this.dav('REPORT', calendarUrl, calendarQuery(from, to), '1', 'reading the events');
    return responses.map((r) => text(r.props['calendar-data'])).filter((t) => t.trim().length > 0);
  }

  /**
   * Busy periods by free-busy-query (RFC 4791 7.10), or null where the server does not answer it
   * with a VFREEBUSY (not supported, refused as a report, another format): the caller then uses
   * calendar-query. Wrong credentials are an error here as anywhere.
   */
  async freeBusy(calendarUrl: string, from: Date, to: Date): Promise<BusyInterval[] | null> {
    const res = await calendarFetch(
      {
        method: 'REPORT',
        url: calendarUrl,
        body: freeBusyQuery(from, to),
        headers: { ...authHeader(this.creds), depth: '1', 'content-type': 'application/xml; charset=utf-8' },
      },
      this.http,
    );
    if (res.status === 401) refuse(res, 'asking for free/busy times');
    if (res.status !== 200) return null;
    return parseFreeBusy(res.body, from, to);
  }

  /** Creates or replaces the platform's event `uid` in the calendar. */
  async put(calendarUrl: string, uid: string, ics: string): Promise<string> {
    const href = new URL(`${encodeURIComponent(uid)}.ics`, calendarUrl.endsWith('/') ? calendarUrl : `${calendarUrl}/`).toString();
    const res = await calendarFetch(
      { method: 'PUT', url: href, body: ics, headers: { ...authHeader(this.creds), 'content-type': 'text/calendar; charset=utf-8' } },
      this.http,
    );
    if (res.status < 200 || res.status >= 300) refuse(res, 'writing the event');
    return href;
  }

  async remove(href: string): Promise<void> {
    const res = await calendarFetch({ method: 'DELETE', url: href, headers: authHeader(this.creds) }, this.http);
    if (res.status === 404 || res.status === 410) return;
    if (res.status < 200 || res.status >= 300) refuse(res, 'removing the event');
  }
}

/** A secret ICS address ("secret address in iCal format"): one GET. webcal:// is https://. */
export async function fetchIcsFeed(url: string, http: CalendarHttpOptions): Promise<string> {
  const target = url.replace(/^webcals?:\/\//i, 'https://');
  const res = await calendarFetch({ method: 'GET', url: target, headers: { accept: 'text/calendar' } }, http);
  if (res.status !== 200) refuse(res, 'reading the ICS feed');
  return res.body;
}
