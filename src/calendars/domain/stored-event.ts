import { escapeText, foldLine, formatIcsUtc } from '../../communications/ics/ics';

export interface StoredEventInput {
  uid: string;
  sequence: number;
  startsAt: Date;
  endsAt: Date;
  summary: string;
  description?: string | null;
  location?: string | null;
  url?: string | null;
  dtstamp: Date;
}

/**
 * The event the platform stores in a person's CalDAV calendar: a calendar object resource
 * (RFC 4791 §4.1), so no METHOD, and no ORGANIZER/ATTENDEE either, so that a server with implicit
 * scheduling (Nextcloud, iCloud) never sends invitations of its own beside the platform's e-mail.
 */
export function buildStoredEvent(e: StoredEventInput): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Hiring Platform//Calendar write-back//EN',
    'CALSCALE:GREGORIAN',
    'BEGIN:VEVENT',
    `UID:${e.uid}`,
    `SEQUENCE:${e.sequence}`,
    `DTSTAMP:${formatIcsUtc(e.dtstamp)}`,
    `DTSTART:${formatIcsUtc(e.startsAt)}`,
    `DTEND:${formatIcsUtc(e.endsAt)}`,
    `SUMMARY:${escapeText(e.summary)}`,
    ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
    ...(e.location ? [`LOCATION:${escapeText(e.location)}`] : []),
    ...(e.url ? [`URL:${e.url}`] : []),
    'STATUS:CONFIRMED',
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map((l) => foldLine(l)).join('\r\n') + '\r\n';
}
