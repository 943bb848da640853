import { CalendarDataError, describeInterval, expandBusy, platformUidPattern } from './busy-expansion';
import { expandBusyIsolated } from '../busy-worker';

const cal = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const BERLIN_TZ = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];
const window = { from: new Date('2027-03-22T00:00:00Z'), to: new Date('2027-04-05T00:00:00Z'), zone: 'Europe/Berlin' };
const run = (...calendars: string[]) => expandBusy({ ...window, calendars }).map(describeInterval);

describe('expandBusy: calendar data to busy intervals', () => {
  it('expands a weekly series in its own zone across the summer-time change, with a moved and a cancelled instance', () => {
    const ics = cal(
      ...BERLIN_TZ,
      'BEGIN:VEVENT',
      'UID:standup@x',
      'DTSTAMP:20270101T000000Z',
      'DTSTART;TZID=Europe/Berlin:20270301T100000',
      'DTEND;TZID=Europe/Berlin:20270301T103000',
      'RRULE:FREQ=WEEKLY;BYDAY=MO',
      'EXDATE;TZID=Europe/Berlin:20270405T100000',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:standup@x',
      'DTSTAMP:20270101T000000Z',
      'RECURRENCE-ID;TZID=Europe/Berlin:20270329T100000',
      'DTSTART;TZID=Europe/Berlin:20270330T150000',
      'DTEND;TZID=Europe/Berlin:20270330T160000',
      'END:VEVENT',
    );
    // 22 March: CET (UTC+1) → 09:00Z; 29 March moved to Tuesday 30 March 15:00 CEST → 13:00Z.
    expect(run(ics)).toEqual(['2027-03-22T09:00:00.000Z/2027-03-22T09:30:00.000Z', '2027-03-30T13:00:00.000Z/2027-03-30T14:00:00.000Z']);
  });

  it('counts all-day events as whole days in the owner zone, and leaves out transparent and cancelled events', () => {
    const ics = cal(
      'BEGIN:VEVENT',
      'UID:holiday@x',
      'DTSTAMP:20270101T000000Z',
      'DTSTART;VALUE=DATE:20270324',
      'DTEND;VALUE=DATE:20270326',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:free@x',
      'DTSTAMP:20270101T000000Z',
      'DTSTART:20270323T100000Z',
      'DTEND:20270323T110000Z',
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:off@x',
      'DTSTAMP:20270101T000000Z',
      'DTSTART:20270323T120000Z',
      'DTEND:20270323T130000Z',
      'STATUS:CANCELLED',
      'END:VEVENT',
    );
    expect(run(ics)).toEqual(['2027-03-23T23:00:00.000Z/2027-03-25T23:00:00.000Z']);
  });

  it('reads a TZID without VTIMEZONE as the IANA zone it names, and a floating time in the owner zone', () => {
    const ics = cal(
      'BEGIN:VEVENT',
      'UID:ny@x',
      'DTSTAMP:20270101T000000Z',
      'DTSTART;TZID=America/New_York:20270323T090000',
      'DURATION:PT1H',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:floating@x',
      'DTSTAMP:20270101T000000Z',
      'DTSTART:20270324T090000',
      'DTEND:20270324T093000',
      'END:VEVENT',
    );
    expect(run(ics)).toEqual(['2027-03-23T13:00:00.000Z/2027-03-23T14:00:00.000Z', '2027-03-24T08:00:00.000Z/2027-03-24T08:30:00.000Z']);
  });

  it('skips UIDs the platform wrote itself and merges overlapping events', () => {
    const ics = cal(
      'BEGIN:VEVENT',
      'UID:a@x',
      'DTSTAMP:20270101T000000Z',
      'DTSTART:20270323T100000Z',
      'DTEND:20270323T110000Z',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:b@x',
      'DTSTAMP:20270101T000000Z',
      'DTSTART:20270323T103000Z',
      'DTEND:20270323T113000Z',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:review-1@hiring',
      'DTSTAMP:20270101T000000Z',
      'DTSTART:20270324T103000Z',
      'DTEND:20270324T113000Z',
      'END:VEVENT',
    );
    expect(expandBusy({ ...window, calendars: [ics], ignoreUids: new Set(['review-1@hiring']) }).map(describeInterval)).toEqual([
      '2027-03-23T10:00:00.000Z/2027-03-23T11:30:00.000Z',
    ]);
  });

  it('refuses malformed data and endless rules with a clear error instead of calling the time free', () => {
    expect(() => run('BEGIN:VCALENDAR\r\nthis is not ical')).toThrow(CalendarDataError);
    expect(() => run('<html>Sign in</html>')).toThrow(/not valid iCalendar/);
    const secondly = cal(
      'BEGIN:VEVENT',
      'UID:storm@x',
      'DTSTAMP:20200101T000000Z',
      'DTSTART:20200101T000000Z',
      'DTEND:20200101T000001Z',
      'RRULE:FREQ=SECONDLY',
      'END:VEVENT',
    );
    // The occurrence limit is what stops it (a frozen budget clock: a loaded machine must not turn this into the time limit).
    expect(() => expandBusy({ ...window, calendars: [secondly], nowMs: () => 0 })).toThrow(/more than 20000 occurrences/);
  });

  it('kills an expansion that spins inside the library (a rule that never matches) at the hard deadline', async () => {
    const never = cal(
      'BEGIN:VEVENT',
      'UID:never@x',
      'DTSTAMP:20270101T000000Z',
      'DTSTART:20270101T100000Z',
      'DTEND:20270101T110000Z',
      'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31',
      'END:VEVENT',
    );
    const started = Date.now();
    await expect(expandBusyIsolated({ ...window, calendars: [never] }, 6_000)).rejects.toThrow(CalendarDataError);
    expect(Date.now() - started).toBeLessThan(30_000);
    // A well-formed calendar goes through the same worker.
    const ok = cal(
      'BEGIN:VEVENT',
      'UID:a@x',
      'DTSTAMP:20270101T000000Z',
      'DTSTART:20270323T100000Z',
      'DTEND:20270323T110000Z',
      'END:VEVENT',
    );
    expect((await expandBusyIsolated({ ...window, calendars: [ok] })).map(describeInterval)).toEqual([
      '2027-03-23T10:00:00.000Z/2027-03-23T11:00:00.000Z',
    ]);
  }, 60_000);
});

describe("the platform's own events in a calendar", () => {
  const ev = (uid: string, start: string) => [
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20270101T000000Z',
    `DTSTART:${start}`,
    'DTEND:20270323T235900Z',
    'END:VEVENT',
  ];
  const review = 'review-0b0d1c52-8a43-4c8e-9a8e-0c7e8d0f5a11@hiring.example.com';
  const interview = 'interview-0b0d1c52-8a43-4c8e-9a8e-0c7e8d0f5a12@HIRING.example.com';

  it('leaves out UIDs of the platform (reviews and interviews of its host), inside the isolated worker too, and keeps look-alikes', async () => {
    const text = cal(
      ...ev(review, '20270323T100000Z'),
      ...ev(interview, '20270323T120000Z'),
      ...ev(review.replace('hiring.example.com', 'hiringXexample.com'), '20270323T140000Z'),
      ...ev(`x${review}`, '20270323T160000Z'),
    );
    const input = { ...window, calendars: [text], ignoreUidPattern: platformUidPattern('https://hiring.example.com/') };
    const expected = ['2027-03-23T14:00:00.000Z/2027-03-23T23:59:00.000Z'];
    expect(expandBusy(input).map(describeInterval)).toEqual(expected);
    expect((await expandBusyIsolated(input)).map(describeInterval)).toEqual(expected);
    // Without the pattern all four count.
    expect(expandBusy({ ...window, calendars: [text] }).map(describeInterval)).toEqual([
      '2027-03-23T10:00:00.000Z/2027-03-23T23:59:00.000Z',
    ]);
  }, 60_000);
});
