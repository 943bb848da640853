import { attachmentDisposition } from './content-disposition';

describe('attachmentDisposition (a stranger-supplied file name in a header)', () => {
  const parts = (h: string) => {
    const m = /^attachment; filename="([^"]*)"; filename\*=UTF-8''(.*)$/.exec(h);
    if (!m) throw new Error(`bad header: ${h}`);
    return { ascii: m[1], utf8: decodeURIComponent(m[2]), raw: m[2] };
  };

  it.each([
    ['plain', 'cv.pdf', 'pdf', 'cv.pdf', 'cv.pdf'],
    ['accents kept in filename*, replaced in filename', 'Zoë résumé.pdf', 'pdf', 'Zo_ r_sum_.pdf', 'Zoë résumé.pdf'],
    ['quotes and backslashes', 'a"b\\c.docx', 'docx', 'a_b_c.docx', 'a"b_c.docx'],
    ['CR/LF header injection', 'x\r\nSet-Cookie: a=1.pdf', 'pdf', 'xSet-Cookie: a=1.pdf', 'xSet-Cookie: a=1.pdf'],
    ['a path', '../../etc/passwd', 'pdf', '_.._etc_passwd.pdf', '_.._etc_passwd.pdf'],
    ['the wrong extension gets the real one', 'cv.exe', 'pdf', 'cv.exe.pdf', 'cv.exe.pdf'],
    ['bidi override cannot fake an extension', 'cv\u202efdp.exe', 'docx', 'cvfdp.exe.docx', 'cvfdp.exe.docx'],
    ['empty', '', 'pdf', 'resume.pdf', 'resume.pdf'],
    ['only dots', '...', 'pdf', 'resume.pdf', 'resume.pdf'],
  ])('%s', (_n, name, ext, ascii, utf8) => {
    const h = attachmentDisposition(name, ext, 'resume');
    expect(h).not.toMatch(/[\r\n]/);
    const p = parts(h);
    expect(p.ascii).toBe(ascii);
    expect(p.utf8).toBe(utf8);
    expect(p.raw).toMatch(/^[A-Za-z0-9%._~!-]+$/);
  });

  it('caps the length', () => {
    expect(parts(attachmentDisposition('a'.repeat(500), 'pdf')).utf8).toBe(`${'a'.repeat(120)}.pdf`);
  });

  it("without a known type keeps the name's own extension, cleaned the same way (inbound mail attachments)", () => {
    expect(parts(attachmentDisposition('Zoë "notes".txt'))).toMatchObject({ ascii: 'Zo_ _notes_.txt', utf8: 'Zoë "notes".txt' });
    expect(parts(attachmentDisposition('..\\evil\r\n.sh')).utf8).toBe('_evil.sh');
    expect(parts(attachmentDisposition('')).utf8).toBe('file');
  });
});
