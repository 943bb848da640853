import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildTarGz } from '../../test/sandbox/helpers/tar-writer';
import { buildZip } from '../../test/sandbox/helpers/zip-writer';
import { ArchiveError, detectArchiveFormat, loadFiles, normalizeEntryPath, readArchive, readDirectory, stripCommonRoot } from './archive';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ArchiveError) return e.code;
    throw e;
  }
  return 'accepted';
}

const listing = (files: Array<{ path: string; content: Buffer; mode: number }>) =>
  files.map((f) => `${f.path} ${f.mode.toString(8)} ${f.content.toString()}`);

describe('readArchive', () => {
  it('lists the files of a zip with folders, exec bits and UTF-8 names', async () => {
    const zip = buildZip([
      { name: 'src/' },
      { name: 'src/app.py', data: 'print(1)' },
      { name: 'run.sh', data: '#!/bin/sh', unixMode: 0o100755 },
      { name: 'docs/ünïcode.md', data: 'ok' },
      { name: '__MACOSX/._app.py', data: 'junk' },
    ]);
    const { format, files } = await readArchive(zip);
    expect(format).toBe('zip');
    expect(listing(files)).toEqual(['src/app.py 644 print(1)', 'run.sh 755 #!/bin/sh', 'docs/ünïcode.md 644 ok']);
  });

  it('lists the files of a tar.gz and of a plain tar', async () => {
    const tgz = await buildTarGz([
      { name: './pkg/', type: 'directory' },
      { name: './pkg/index.js', data: 'module.exports = 1' },
      { name: 'pkg/bin/cli', data: 'x', mode: 0o755 },
    ]);
    expect(listing((await readArchive(tgz)).files)).toEqual(['pkg/index.js 644 module.exports = 1', 'pkg/bin/cli 755 x']);
    const { gunzipSync } = await import('node:zlib');
    const tar = gunzipSync(tgz);
    expect(detectArchiveFormat(tar)).toBe('tar');
    expect((await readArchive(tar, { stripCommonRoot: true })).files.map((f) => f.path)).toEqual(['index.js', 'bin/cli']);
  });

  it.each([
    ['zip absolute path', () => buildZip([{ name: '/etc/cron.d/evil', data: 'x' }]), 'absolute_path'],
    ['zip drive letter', () => buildZip([{ name: 'C:\\Windows\\evil.dll', data: 'x' }]), 'absolute_path'],
    ['zip ../ traversal', () => buildZip([{ name: '../../home/evil.sh', data: 'x' }]), 'path_traversal'],
    ['zip backslash traversal', () => buildZip([{ name: 'a\\..\\..\\evil', data: 'x' }]), 'path_traversal'],
    ['zip symlink to /etc/passwd', () => buildZip([{ name: 'passwd', data: '/etc/passwd', unixMode: 0o120777 }]), 'link_entry'],
    ['zip fifo', () => buildZip([{ name: 'pipe', unixMode: 0o010644 }]), 'special_entry'],
    [
      'zip duplicate entry',
      () =>
        buildZip([
          { name: 'a.txt', data: '1' },
          { name: './a.txt', data: '2' },
        ]),
      'duplicate_entry',
    ],
    [
      'zip file inside a file',
      () =>
        buildZip([
          { name: 'a', data: '1' },
          { name: 'a/b', data: '2' },
        ]),
      'duplicate_entry',
    ],
    ['zip control character', () => buildZip([{ name: 'a\nb.txt', data: '1' }]), 'invalid_name'],
    ['not an archive', () => Buffer.from('just some text, not an archive'), 'unsupported_format'],
    ['truncated zip', () => buildZip([{ name: 'a.txt', data: 'x'.repeat(1000) }]).subarray(0, 60), 'unreadable'],
  ])('refuses a %s', async (_label, make, code) => {
    expect(await codeOf(readArchive(make()))).toBe(code);
  });

  it.each([
    ['tar.gz absolute path', [{ name: '/etc/passwd', data: 'x' }], 'absolute_path'],
    ['tar.gz ../ traversal', [{ name: 'ok/../../evil', data: 'x' }], 'path_traversal'],
    ['tar.gz symlink to /etc/passwd', [{ name: 'passwd', type: 'symlink', linkname: '/etc/passwd' }], 'link_entry'],
    [
      'tar.gz symlink inside the tree',
      [
        { name: 'a', data: 'x' },
        { name: 'b', type: 'symlink', linkname: 'a' },
      ],
      'link_entry',
    ],
    [
      'tar.gz hard link',
      [
        { name: 'a', data: 'x' },
        { name: 'b', type: 'link', linkname: 'a' },
      ],
      'link_entry',
    ],
    ['tar.gz character device', [{ name: 'null', type: 'character-device' }], 'special_entry'],
    ['tar.gz fifo', [{ name: 'fifo', type: 'fifo' }], 'special_entry'],
  ] as const)('refuses a %s', async (_label, entries, code) => {
    expect(await codeOf(readArchive(await buildTarGz(entries as never)))).toBe(code);
  });

  it('names the problem entry in the message', async () => {
    await expect(
      readArchive(
        buildZip([
          { name: 'ok.txt', data: '1' },
          { name: '../x', data: '2' },
        ]),
      ),
    ).rejects.toThrow(/"\.\.\/x" points outside the archive/);
  });

  it('refuses more entries than allowed, from the zip directory before reading any data', async () => {
    const many = Array.from({ length: 2001 }, (_, i) => ({ name: `f${i}.txt`, data: '' }));
    await expect(readArchive(buildZip(many))).rejects.toMatchObject({ code: 'too_many_entries' });
    const few = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.txt`, data: 'x' }));
    expect(await codeOf(readArchive(buildZip(few), { maxEntries: 10 }))).toBe('too_many_entries');
    expect(await codeOf(readArchive(await buildTarGz(few), { maxEntries: 10 }))).toBe('too_many_entries');
  });

  it('stops a zip bomb while inflating (honest and lying size headers)', async () => {
    const zeros = Buffer.alloc(51 * 1024 * 1024);
    const honest = buildZip([{ name: 'bomb.bin', data: zeros }]);
    expect(honest.length).toBeLessThan(200 * 1024);
    await expect(readArchive(honest)).rejects.toMatchObject({ code: 'too_large' });
    const lying = buildZip([{ name: 'small.txt', data: zeros, declaredSize: 10 }]);
    await expect(readArchive(lying)).rejects.toMatchObject({ code: 'too_large' });
    const spread = buildZip(Array.from({ length: 6 }, (_, i) => ({ name: `part${i}`, data: Buffer.alloc(1024 * 1024) })));
    expect(await codeOf(readArchive(spread, { maxTotalBytes: 5 * 1024 * 1024 }))).toBe('too_large');
  });

  it('stops a tar.gz bomb while decompressing', async () => {
    const bomb = await buildTarGz([{ name: 'bomb.bin', data: Buffer.alloc(51 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const started = Date.now();
    await expect(readArchive(bomb)).rejects.toMatchObject({ code: 'too_large' });
    expect(Date.now() - started).toBeLessThan(5000);
    // A gzip of nothing but zeros (no tar structure) is stopped by the raw byte cap too.
    expect(await codeOf(readArchive(gzipSync(Buffer.alloc(80 * 1024 * 1024)), { maxTotalBytes: 1024 * 1024 }))).not.toBe('accepted');
  });

  it('reports a corrupt tar.gz as unreadable', async () => {
    const tgz = await buildTarGz([{ name: 'a.txt', data: 'x'.repeat(5000) }]);
    expect(await codeOf(readArchive(tgz.subarray(0, tgz.length - 30)))).toBe('unreadable');
  });
});

describe('normalizeEntryPath', () => {
  it('normalizes harmless forms and refuses escaping ones', () => {
    expect(normalizeEntryPath('./a//b/./c.txt')).toBe('a/b/c.txt');
    expect(normalizeEntryPath('./')).toBe('');
    expect(() => normalizeEntryPath('a/../b')).toThrow(ArchiveError);
    expect(() => normalizeEntryPath('x/'.repeat(40) + 'f')).toThrow(/too long or too deep/);
  });
});

describe('stripCommonRoot', () => {
  it('drops one shared top folder only when every file is inside it', () => {
    const f = (p: string) => ({ path: p, content: Buffer.alloc(0), mode: 0o644 });
    expect(stripCommonRoot([f('proj/a.py'), f('proj/t/b.py')]).map((x) => x.path)).toEqual(['a.py', 't/b.py']);
    expect(stripCommonRoot([f('proj/a.py'), f('README.md')]).map((x) => x.path)).toEqual(['proj/a.py', 'README.md']);
  });

  it('keeps a lone source folder (src/, lib/...): it is the project layout, not a wrapper', () => {
    const f = (p: string) => ({ path: p, content: Buffer.alloc(0), mode: 0o644 });
    expect(stripCommonRoot([f('src/main/java/A.java')]).map((x) => x.path)).toEqual(['src/main/java/A.java']);
    expect(stripCommonRoot([f('lib/stack.rb')]).map((x) => x.path)).toEqual(['lib/stack.rb']);
    expect(stripCommonRoot([f('proj/src/lib.rs')]).map((x) => x.path)).toEqual(['src/lib.rs']);
  });
});

describe('readDirectory / loadFiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'archive-spec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a folder, skipping .git and node_modules', async () => {
    mkdirSync(path.join(dir, 'src'));
    mkdirSync(path.join(dir, 'node_modules/x'), { recursive: true });
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, 'src/a.js'), 'a');
    writeFileSync(path.join(dir, 'node_modules/x/i.js'), 'x');
    writeFileSync(path.join(dir, '.git/HEAD'), 'ref');
    const { format, files } = await loadFiles(dir);
    expect(format).toBe('directory');
    expect(files.map((f) => f.path)).toEqual(['src/a.js']);
  });

  it('refuses a symlink in the folder, even one pointing inside it', async () => {
    writeFileSync(path.join(dir, 'a.txt'), 'a');
    symlinkSync('/etc/passwd', path.join(dir, 'passwd'));
    expect(await codeOf(readDirectory(dir))).toBe('link_entry');
  });

  it('loads an archive file by its magic bytes, whatever its name', async () => {
    const file = path.join(dir, 'upload.bin');
    writeFileSync(file, buildZip([{ name: 'x.py', data: 'x = 1' }]));
    expect((await loadFiles(file)).files.map((f) => f.path)).toEqual(['x.py']);
    expect(await codeOf(loadFiles(path.join(dir, 'missing')))).toBe('not_found');
  });
});
