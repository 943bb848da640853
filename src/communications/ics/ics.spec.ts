import ICAL from 'ical.js';
import { buildInvite, escapeText, foldLine, formatInZone, InviteInput, stableUid } from './ics';

function parse(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  const ev = cal.getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(ev);
  return { cal, ev, event };
}

const base: InviteInput = {
  uid: stableUid('review', 'r-42', 'hiring.example.com'),
  sequence: 0,
  method: 'REQUEST',
  startsAt: '2027-03-03T13:00:00Z',
  endsAt: '2027-03-03T14:00:00Z',
  summary: 'Code review: Ada Lovelace',
  description: 'We will walk through your submission together.',
  organizer: { name: 'Hiring Platform', email: 'hiring@example.com' },
  attendees: [
    { name: 'Ada Lovelace', email: 'ada@example.org' },
    { name: 'Grace Hopper', email: 'grace@example.com' },
  ],
  url: 'https://hiring.example.com/reviews/r-42',
  dtstamp: '2027-02-25T10:00:00Z',
};

describe('buildInvite', () => {
  it('produces a REQUEST with UID, SEQUENCE, UTC instants, organizer and attendees', () => {
    const ics = buildInvite(base);
    const { cal, ev, event } = parse(ics);
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(event.uid).toBe('review-r-42@hiring.example.com');
    expect(event.sequence).toBe(0);
    expect(event.startDate.toJSDate().toISOString()).toBe('2027-03-03T13:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2027-03-03T14:00:00.000Z');
    expect(event.startDate.zone?.tzid).toBe('UTC');
    expect(event.summary).toBe('Code review: Ada Lovelace');
    expect(ev.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(ev.getFirstPropertyValue('url')).toBe('https://hiring.example.com/reviews/r-42');
    const organizer = ev.getFirstProperty('organizer')!;
    expect(organizer.getFirstValue()).toBe('mailto:hiring@example.com');
    expect(organizer.getParameter('cn')).toBe('Hiring Platform');
    const attendees = ev.getAllProperties('attendee');
    expect(attendees.map((a) => [a.getFirstValue(), a.getParameter('cn'), a.getParameter('rsvp'), a.getParameter('partstat')])).toEqual([
      ['mailto:ada@example.org', 'Ada Lovelace', 'TRUE', 'NEEDS-ACTION'],
      ['mailto:grace@example.com', 'Grace Hopper', 'TRUE', 'NEEDS-ACTION'],
    ]);
    expect(ics).toMatch(/DTSTART:20270303T130000Z\r\n/);
    expect(ics).toMatch(/DTSTAMP:20270225T100000Z\r\n/);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('keeps the UID across a reschedule and increments SEQUENCE; CANCEL keeps the UID too', () => {
    const first = parse(buildInvite(base)).event;
    const moved = parse(buildInvite({ ...base, sequence: 1, startsAt: '2027-03-04T09:15:00Z', endsAt: '2027-03-04T10:15:00Z' })).event;
    const cancelled = parse(
      buildInvite({ ...base, sequence: 2, method: 'CANCEL', startsAt: '2027-03-04T09:15:00Z', endsAt: '2027-03-04T10:15:00Z' }),
    );
    expect(moved.uid).toBe(first.uid);
    expect(moved.sequence).toBe(first.sequence + 1);
    expect(moved.startDate.toJSDate().toISOString()).toBe('2027-03-04T09:15:00.000Z');
    expect(cancelled.cal.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(cancelled.event.uid).toBe(first.uid);
    expect(cancelled.event.sequence).toBe(2);
    expect(cancelled.ev.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(cancelled.ev.getAllProperties('attendee')[0].getParameter('rsvp')).toBeUndefined();
  });

  it('converts non-UTC inputs to the right UTC instants', () => {
    const { event } = parse(buildInvite({ ...base, startsAt: '2027-03-03T14:00:00+01:00', endsAt: new Date('2027-03-03T14:00:00Z') }));
    expect(event.startDate.toJSDate().toISOString()).toBe('2027-03-03T13:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2027-03-03T14:00:00.000Z');
  });

  it('escapes text and folds long lines at 75 octets without breaking UTF-8', () => {
    const summary = 'Review; with, commas \\ backslash — and ünïcödé 🎉 '.repeat(4).trim();
    const description = 'Line one\nLine two; "quoted", done\\';
    const ics = buildInvite({
      ...base,
      summary,
      description,
      location: 'Room 4, Floor 2',
      attendees: [{ name: 'Zoë "Z" O\'Neil; Jr., PhD', email: 'zoe@example.org' }],
    });
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(ics).toMatch(/\r\n [^\r\n]/); // a folded continuation line exists
    const { ev, event } = parse(ics);
    expect(event.summary).toBe(summary);
    expect(event.description).toBe(description);
    expect(event.location).toBe('Room 4, Floor 2');
    expect(ev.getFirstProperty('attendee')!.getParameter('cn')).toBe("Zoë 'Z' O'Neil; Jr., PhD");
  });

  it('refuses header injection and nonsense input', () => {
    expect(() => buildInvite({ ...base, attendees: [{ name: 'x', email: 'a@b.c\r\nATTENDEE:mailto:evil@x' }] })).toThrow(/Invalid e-mail/);
    expect(() => buildInvite({ ...base, url: 'https://x\r\nMETHOD:PUBLISH' })).toThrow(/Invalid url/);
    expect(() => buildInvite({ ...base, endsAt: base.startsAt })).toThrow(/after startsAt/);
    expect(() => buildInvite({ ...base, sequence: -1 })).toThrow(/sequence/);
    expect(buildInvite({ ...base, summary: 'a\r\nMETHOD:PUBLISH' })).toContain('SUMMARY:a\\nMETHOD:PUBLISH\r\n');
  });

  it('is a pure function of its input', () => {
    expect(buildInvite(base)).toBe(buildInvite({ ...base }));
    const { dtstamp: _omit, ...noStamp } = base;
    expect(buildInvite(noStamp)).toMatch(/DTSTAMP:20270303T130000Z/);
  });
});

describe('helpers', () => {
  it('stableUid is stable and safe', () => {
    expect(stableUid('Review', 42, 'Hiring.Example.com')).toBe('review-42@hiring.example.com');
    expect(stableUid('interview', 'a b/c', 'example.com')).toBe('interview-a%20b%2Fc@example.com');
    expect(stableUid('interview', 'x', 'example.com')).toBe(stableUid('interview', 'x', 'example.com'));
    expect(() => stableUid('review', '', 'example.com')).toThrow();
    expect(() => stableUid('review', '1', 'bad domain')).toThrow();
  });

  it('escapeText and foldLine follow RFC 5545', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`);
    expect(foldLine('x'.repeat(74) + 'é')).toBe(`${'x'.repeat(74)}\r\n é`);
  });

  it('formatInZone words a range in the recipient’s zone', () => {
    expect(formatInZone('2027-03-03T13:00:00Z', 'Europe/Berlin', '2027-03-03T14:00:00Z')).toBe(
      'Wednesday 3 March 2027, 14:00–15:00 (Europe/Berlin)',
    );
    expect(formatInZone('2027-03-03T13:00:00Z', 'Asia/Kolkata', '2027-03-03T14:00:00Z')).toBe(
      'Wednesday 3 March 2027, 18:30–19:30 (Asia/Kolkata)',
    );
    expect(formatInZone('2027-03-03T13:00:00Z', 'America/New_York')).toBe('Wednesday 3 March 2027, 08:00 (America/New_York)');
    expect(formatInZone('2027-03-03T14:30:00Z', 'Pacific/Auckland', '2027-03-03T15:30:00Z')).toBe(
      'Thursday 4 March 2027, 03:30–04:30 (Pacific/Auckland)',
    );
    expect(formatInZone('2027-03-03T10:30:00Z', 'Pacific/Auckland', '2027-03-03T11:30:00Z')).toBe(
      'Wednesday 3 March 2027, 23:30 – Thursday 4 March 2027, 00:30 (Pacific/Auckland)',
    );
    // DST: New York switches on 14 March 2027
    expect(formatInZone('2027-03-15T13:00:00Z', 'America/New_York', '2027-03-15T14:00:00Z')).toBe(
      'Monday 15 March 2027, 09:00–10:00 (America/New_York)',
    );
    expect(() => formatInZone('2027-03-03T13:00:00Z', 'Nowhere/Land')).toThrow(/Unknown time zone/);
  });
});
