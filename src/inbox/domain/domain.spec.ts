import { assessReply } from './reply-sla';
import { mailboxOf, ourMessageIds, parseReplyAddress, replyAddress, splitIds } from './reply-address';
import { DISPLAY_LIMIT, trimReply } from './trim-reply';

const APP = '0b7e4f6c-1d2a-4c3b-9e8f-123456789abc';
const SECRET = 'a-test-secret-of-enough-length';

describe('reply address', () => {
  it('is plus-addressing on MAIL_FROM with the application id and a tag, and reads back', () => {
    const a = replyAddress('Hiring Team <jobs@example.com>', APP, SECRET);
    expect(a).toMatch(/^jobs\+a0b7e4f6c1d2a4c3b9e8f123456789abc\.[0-9a-f]{10}@example\.com$/);
    expect(parseReplyAddress(a, 'Hiring Team <jobs@example.com>', SECRET)).toBe(APP);
    expect(parseReplyAddress(a.toUpperCase(), 'jobs@example.com', SECRET)).toBe(APP);
  });
  it('refuses a forged tag, another secret, another mailbox or domain', () => {
    const a = replyAddress('jobs@example.com', APP, SECRET);
    expect(parseReplyAddress(a.replace(/\.[0-9a-f]{10}@/, '.0000000000@'), 'jobs@example.com', SECRET)).toBeNull();
    expect(parseReplyAddress(a, 'jobs@example.com', 'another-secret-entirely')).toBeNull();
    expect(parseReplyAddress(a.replace('jobs+', 'hr+'), 'jobs@example.com', SECRET)).toBeNull();
    expect(parseReplyAddress(a.replace('example.com', 'evil.com'), 'jobs@example.com', SECRET)).toBeNull();
    expect(parseReplyAddress('jobs@example.com', 'jobs@example.com', SECRET)).toBeNull();
  });
  it('takes the mailbox out of a display name and drops an existing +tag', () => {
    expect(mailboxOf('"Hiring, Inc" <Jobs+x@Example.com>')).toEqual({ local: 'Jobs', domain: 'example.com' });
    expect(() => mailboxOf('nobody')).toThrow(/no address/);
  });
});

describe('our Message-IDs in a reply', () => {
  const id1 = '11111111-2222-4333-8444-555555555555';
  const id2 = '66666666-7777-4888-9999-000000000000';
  it('In-Reply-To first, then References newest first; other hosts and non-uuids ignored', () => {
    expect(ourMessageIds(`<${id1}@hiring.test>`, [`${id2}@hiring.test`, 'x@gmail.com', `${id1}@other.host`], 'hiring.test')).toEqual([
      id1,
      id2,
    ]);
    expect(ourMessageIds(null, ['not-a-uuid@hiring.test'], 'hiring.test')).toEqual([]);
  });
  it('splits headers with or without brackets, bounded', () => {
    expect(splitIds('<a@b> <c@d>')).toEqual(['a@b', 'c@d']);
    expect(splitIds('a@b c@d')).toEqual(['a@b', 'c@d']);
    expect(splitIds('<x@y> '.repeat(1000))).toHaveLength(100);
  });
});

describe('trimReply', () => {
  it('cuts Gmail-style quoted history and the signature', () => {
    expect(trimReply('Yes, Monday works.\n\nOn Mon, 4 Jan 2027 at 10:00, Hiring <h@x> wrote:\n> When?\n')).toBe('Yes, Monday works.');
    expect(trimReply('Thanks!\n-- \nAda\nAnalyst')).toBe('Thanks!');
    expect(trimReply('Ok\r\n\r\nSent from my iPhone')).toBe('Ok');
  });
  it('cuts a wrapped "On … wrote:" and an Outlook header block', () => {
    expect(trimReply('Sure.\nOn Mon, 4 Jan 2027 at 10:00, Hiring Team\n<h@x> wrote:\n> q')).toBe('Sure.');
    expect(trimReply('Fine by me\n\nFrom: Hiring <h@x>\nSent: Monday\nTo: me\n\nold text')).toBe('Fine by me');
    expect(trimReply('Hi\n-----Original Message-----\nold')).toBe('Hi');
  });
  it('keeps inline answers between quotes; shows the original when everything looks quoted', () => {
    expect(trimReply('> question one\nanswer one\n> question two\nanswer two')).toContain('answer two');
    expect(trimReply('> only quoted')).toBe('> only quoted');
  });
  it('is bounded', () => {
    expect(trimReply('x'.repeat(500_000)).length).toBeLessThanOrEqual(DISPLAY_LIMIT + 1);
  });
});

describe('assessReply', () => {
  const base = { days: 1, tz: 'UTC', holidays: [] as string[] };
  it('is due one business day after it arrived, escalated at two; weekends do not count', () => {
    const friday = new Date('2027-01-15T16:00:00Z');
    expect(assessReply({ ...base, receivedAt: friday, now: new Date('2027-01-17T16:00:00Z') }).level).toBe('none');
    const r = assessReply({ ...base, receivedAt: friday, now: new Date('2027-01-18T16:00:00Z') });
    expect(r.level).toBe('overdue');
    expect(r.dueAt.toISOString()).toBe('2027-01-18T16:00:00.000Z');
    expect(assessReply({ ...base, receivedAt: friday, now: new Date('2027-01-19T16:00:00Z') }).level).toBe('escalated');
  });
});
