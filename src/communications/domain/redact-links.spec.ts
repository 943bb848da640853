import { HIDDEN, redactCandidateLinks } from './redact-links';

describe('redactCandidateLinks', () => {
  const id = '2f1c7a9e-1b2c-4d3e-8f9a-0b1c2d3e4f5a';

  it('hides the portal token and the privacy HMAC, keeping the rest of the text', () => {
    const text = [
      'Start here: https://hiring.example.com/portal/AbC_dEf-0123456789abcdefghijklmnopqrstuvwxy',
      `Your data: https://hiring.example.com/privacy/${id}?t=Zm9vYmFyYmF6cXV4-_12`,
      'Questions? Reply to this e-mail.',
    ].join('\n');
    const out = redactCandidateLinks(text)!;
    expect(out).toBe(
      [
        `Start here: https://hiring.example.com/portal/${HIDDEN}`,
        `Your data: https://hiring.example.com/privacy/${id}?t=${HIDDEN}`,
        'Questions? Reply to this e-mail.',
      ].join('\n'),
    );
  });

  it('handles HTML-escaped query strings and several links in one body', () => {
    const html = `<a href="/portal/tok1tok1tok1">a</a> <a href="/portal/tok2tok2tok2">b</a> <a href="/privacy/${id}?lang=en&amp;t=secret123">c</a>`;
    const out = redactCandidateLinks(html)!;
    expect(out).not.toMatch(/tok1|tok2|secret123/);
    expect(out.match(new RegExp(HIDDEN.replace(/[[\]]/g, '\\$&'), 'g'))).toHaveLength(3);
  });

  it('leaves text without secrets and null alone', () => {
    expect(redactCandidateLinks('See /portal/ for help and /dashboard/openings/x')).toBe('See /portal/ for help and /dashboard/openings/x');
    expect(redactCandidateLinks(null)).toBeNull();
  });
});
