import { CalendarDataError } from './busy-expansion';
import { freeBusyQuery, parseFreeBusy } from './free-busy';

const from = new Date('2027-03-01T00:00:00Z');
const to = new Date('2027-03-08T00:00:00Z');
const answer = (...lines: string[]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//x//EN',
    'BEGIN:VFREEBUSY',
    'DTSTAMP:20270301T000000Z',
    ...lines,
    'END:VFREEBUSY',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

describe('free-busy-query (RFC 4791 7.10)', () => {
  it('asks for the UTC time range', () => {
    expect(freeBusyQuery(from, to)).toContain('<c:time-range start="20270301T000000Z" end="20270308T000000Z"/>');
  });

  it('reads busy periods (start/end and start/duration), skips FREE, clips to the window', () => {
    const busy = parseFreeBusy(
      answer(
        'FREEBUSY;FBTYPE=BUSY:20270302T090000Z/20270302T100000Z,20270303T140000Z/PT30M',
        'FREEBUSY;FBTYPE=FREE:20270304T090000Z/20270304T170000Z',
        'FREEBUSY:20270307T230000Z/20270308T020000Z',
        'FREEBUSY;FBTYPE=BUSY-TENTATIVE:20270305T120000Z/20270305T130000Z',
      ),
      from,
      to,
    )!;
    expect(busy.map((b) => [b.startsAt.toISOString(), b.endsAt.toISOString()])).toEqual([
      ['2027-03-02T09:00:00.000Z', '2027-03-02T10:00:00.000Z'],
      ['2027-03-03T14:00:00.000Z', '2027-03-03T14:30:00.000Z'],
      ['2027-03-05T12:00:00.000Z', '2027-03-05T13:00:00.000Z'],
      ['2027-03-07T23:00:00.000Z', '2027-03-08T00:00:00.000Z'],
    ]);
  });

  it('null for an answer without VFREEBUSY (fall back), an error for broken iCalendar or too many periods', () => {
    expect(parseFreeBusy('<?xml version="1.0"?><error/>', from, to)).toBeNull();
    expect(() => parseFreeBusy('BEGIN:VFREEBUSY\r\nnot ical', from, to)).toThrow(CalendarDataError);
    const many = Array.from({ length: 5 }, (_, i) => `FREEBUSY:2027030${i + 2}T090000Z/2027030${i + 2}T100000Z`);
    expect(() => parseFreeBusy(answer(...many), from, to, 3)).toThrow(/more than 3/);
  });
});
