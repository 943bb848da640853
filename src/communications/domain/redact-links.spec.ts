import { HIDDEN, redactCandidateLinks, restoreSecrets, splitSecrets } from './redact-links';

const id = '0b0e4f4e-9d7c-4a55-8a53-3f1f4b9c1d2e';
const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';
const hmac = 'Zz9_-Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8Nn7Mm';

describe('link secrets in message bodies', () => {
  const text = `Start: https://h.test/portal/${token}\nPrivacy: https://h.test/privacy/${id}?t=${hmac}\nAgain https://h.test/portal/${token}x`;
  const html = `<a href="https://h.test/portal/${token}">go</a> <a href="https://h.test/privacy/${id}?t&#x3D;${hmac}">privacy</a>`;

  it('takes every secret out of text and HTML bodies and puts the same ones back', () => {
    for (const body of [text, html]) {
      const { redacted, secrets } = splitSecrets(body);
      expect(redacted).not.toContain(token);
      expect(redacted).not.toContain(hmac);
      expect(redacted).toContain(`/portal/${HIDDEN}`);
      expect(redacted).toMatch(/\/privacy\/[0-9a-f-]{36}\?t(=|&#x3D;)\[hidden\]/);
      expect(restoreSecrets(redacted, secrets)).toBe(body);
    }
  });

  it('leaves an already redacted body and a body without links alone', () => {
    expect(redactCandidateLinks(`x /portal/${HIDDEN} y`)).toBe(`x /portal/${HIDDEN} y`);
    expect(splitSecrets('Hello, no links').secrets).toEqual({ portal: [], privacy: [] });
    expect(redactCandidateLinks(null)).toBeNull();
  });
});

describe('stored messages keep no live link secret', () => {
  const { protect, reveal } = require('./message-secrets') as typeof import('./message-secrets');
  const root = 'root-secret-for-the-test-000000000';
  it('stores the bodies redacted with the secrets sealed, and reveals the original at send time', () => {
    const body = { text: `Go: https://h.test/portal/${token}`, html: `<a href="https://h.test/privacy/${id}?t&#x3D;${hmac}">p</a>` };
    const stored = protect(root, body);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain(hmac);
    expect(stored.secretsEnc).toMatch(/^v2\./);
    expect(reveal(root, stored)).toEqual(body);
    expect(() => reveal('another-root-secret-000000000000', stored)).toThrow(/SESSION_SECRET/);
    expect(protect(root, { text: 'plain', html: '<p>plain</p>' })).toEqual({ text: 'plain', html: '<p>plain</p>', secretsEnc: null });
  });
});

describe('splitSecrets tries its patterns only where a link starts', () => {
  // The reference: the global regular-expression replace splitSecrets did before (any position).
  const PORTAL = /(\/portal\/)([A-Za-z0-9_-]{8,})/g;
  const PRIVACY = /(\/privacy\/[0-9a-fA-F-]{36}\?(?:[^\s"'<>]*?&(?:amp;)?)?t(?:=|&#x3D;|&#61;))([A-Za-z0-9_-]+)/g;
  const reference = (body: string) => {
    const secrets = { portal: [] as string[], privacy: [] as string[] };
    const redacted = body
      .replace(PORTAL, (m, prefix: string, secret: string) => {
        if (secret === 'hidden') return m;
        secrets.portal.push(secret);
        return `${prefix}${HIDDEN}`;
      })
      .replace(PRIVACY, (_m, prefix: string, secret: string) => {
        secrets.privacy.push(secret);
        return `${prefix}${HIDDEN}`;
      });
    return { redacted, secrets };
  };
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pieces = [
    '/portal/',
    '/privacy/',
    `/privacy/${id}?`,
    `/privacy/${id}?t=`,
    `/privacy/${id}?a=1&t=`,
    `/privacy/${id}?x&amp;t&#x3D;`,
    '/portal//portal/',
    token.slice(0, 10),
    hmac.slice(0, 6),
    'abc',
    ' ',
    '"',
    '<a href="',
    '&#61;',
    '?',
    't=',
    '[hidden]',
    'é😀',
  ];
  it('gives what the global replace gives, on 3,000 bodies made of link fragments', () => {
    for (let i = 0; i < 3000; i++) {
      const body = Array.from({ length: 1 + rand(14) }, () => pieces[rand(pieces.length)]).join('');
      expect(splitSecrets(body)).toEqual(reference(body));
    }
  });
});
