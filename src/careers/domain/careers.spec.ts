import { describeSource, isPublicCodeUrl, sourceFromLink } from './application-source';
import { checkDocxEntries, sniffResume } from './resume-sniff';
import { toPrefixTsQuery } from './search-query';

describe('résumé sniffing by content', () => {
  it('knows a PDF and a ZIP by their bytes, whatever the name', () => {
    expect(sniffResume(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'))).toBe('pdf');
    expect(sniffResume(Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'))).toBe('docx');
    expect(sniffResume(Buffer.from('GIF89a............'))).toBeNull();
    expect(sniffResume(Buffer.from('MZ\x90\x00 an exe pretending', 'latin1'))).toBeNull();
    expect(sniffResume(Buffer.from('%PD'))).toBeNull();
  });
  it('refuses ZIPs that are not Word documents or expand too much', () => {
    const ok = [
      { name: '[Content_Types].xml', compressedSize: 300, uncompressedSize: 1000 },
      { name: 'word/document.xml', compressedSize: 2000, uncompressedSize: 9000 },
    ];
    expect(checkDocxEntries(ok)).toBeNull();
    expect(checkDocxEntries([ok[0]])).toMatch(/not a Word document/);
    expect(checkDocxEntries([...ok, { name: 'word/media/bomb.bin', compressedSize: 50_000, uncompressedSize: 29 * 1024 * 1024 }])).toMatch(
      /zip bomb/,
    );
    expect(
      checkDocxEntries([
        ...ok,
        { name: 'a', compressedSize: 20_000_000, uncompressedSize: 29_000_000 },
        { name: 'b', compressedSize: 20_000_000, uncompressedSize: 29_000_000 },
      ]),
    ).toMatch(/more than 50 MB/);
    expect(checkDocxEntries([...ok, { name: '../evil', compressedSize: 1, uncompressedSize: 1 }])).toMatch(/unsafe/);
  });
});

describe('where an application came from', () => {
  it('reads the referral, tracked and plain careers links', () => {
    expect(sourceFromLink({ ref: '3F2504E0-4F89-11D3-9A0C-0305E82C3301' })).toEqual({
      kind: 'referral',
      detail: null,
      referrerId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
    });
    expect(sourceFromLink({ source: 'linkedin' })).toEqual({ kind: 'job_board', detail: 'linkedin' });
    expect(sourceFromLink({ source: 'partner:Codebar' })).toEqual({ kind: 'partner', detail: 'Codebar' });
    expect(sourceFromLink({ source: 'internship' })).toEqual({ kind: 'internship', detail: null });
    expect(sourceFromLink({ source: '<script>' })).toEqual({ kind: 'direct', detail: 'careers page' });
    expect(sourceFromLink({ ref: 'not-a-uuid' })).toEqual({ kind: 'direct', detail: 'careers page' });
    expect(describeSource('job_board', 'linkedin')).toBe('Job board (linkedin)');
  });
  it('tells public code links from other links', () => {
    expect(isPublicCodeUrl('https://github.com/ada')).toBe(true);
    expect(isPublicCodeUrl('https://gitlab.com/group/project')).toBe(true);
    expect(isPublicCodeUrl('https://github.com/')).toBe(false);
    expect(isPublicCodeUrl('https://github.com.evil.test/ada')).toBe(false);
    expect(isPublicCodeUrl('https://linkedin.com/in/ada')).toBe(false);
    expect(isPublicCodeUrl('javascript:alert(1)')).toBe(false);
  });
});

describe('search words', () => {
  it('makes every word a required prefix and cannot be malformed', () => {
    expect(toPrefixTsQuery('Kube')).toBe('kube:*');
    expect(toPrefixTsQuery('ada@example.com')).toBe('ada:* & example:* & com:*');
    expect(toPrefixTsQuery("José's & | ! ( ) :*")).toBe('josé:* & s:*');
    expect(toPrefixTsQuery('  !!! ')).toBeNull();
    expect(toPrefixTsQuery(undefined)).toBeNull();
  });
});
