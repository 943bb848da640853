import * as tarStream from 'tar-stream';
import { packFiles, readSingleRegularFile } from './tar';

async function tarOf(entries: Array<{ name: string; type?: 'file' | 'symlink' | 'link' | 'directory'; linkname?: string; body?: string }>) {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((r) => pack.on('end', () => r()));
  for (const e of entries) {
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name: e.name, type: e.type ?? 'file', linkname: e.linkname }, e.body ?? '', (err) => (err ? reject(err) : resolve())),
    );
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

describe('readSingleRegularFile', () => {
  it('returns the content of a regular file entry', async () => {
    const r = await readSingleRegularFile(await tarOf([{ name: 'junit.xml', body: '<testsuite/>' }]), 'junit.xml', 1000);
    expect(r).toEqual({ ok: true, content: Buffer.from('<testsuite/>') });
  });
  it('refuses a symlink or hard link planted at the report path instead of following it', async () => {
    const sym = await readSingleRegularFile(
      await tarOf([{ name: 'junit.xml', type: 'symlink', linkname: '/etc/passwd' }]),
      'junit.xml',
      1000,
    );
    expect(sym).toMatchObject({ ok: false, reason: 'not_regular_file' });
    const hard = await readSingleRegularFile(await tarOf([{ name: 'junit.xml', type: 'link', linkname: 'other' }]), 'junit.xml', 1000);
    expect(hard).toMatchObject({ ok: false, reason: 'not_regular_file' });
  });
  it('reports a missing, oversized or corrupt report', async () => {
    expect(await readSingleRegularFile(Buffer.alloc(0), 'junit.xml', 10)).toMatchObject({ ok: false, reason: 'missing' });
    expect(await readSingleRegularFile(await tarOf([{ name: 'other.xml', body: 'x' }]), 'junit.xml', 10)).toMatchObject({
      ok: false,
      reason: 'missing',
    });
    expect(await readSingleRegularFile(await tarOf([{ name: 'junit.xml', body: 'x'.repeat(100) }]), 'junit.xml', 10)).toMatchObject({
      ok: false,
      reason: 'too_large',
    });
    expect(await readSingleRegularFile(Buffer.from('not a tar at all, definitely not'.repeat(40)), 'junit.xml', 10)).toMatchObject({
      ok: false,
    });
  });
});

describe('packFiles', () => {
  it('packs files with parent folders, normalized modes and root ownership', async () => {
    const tar = await packFiles([
      { path: 'a/b/c.txt', content: Buffer.from('hi') },
      { path: 'run.sh', content: Buffer.from('x'), mode: 0o4775 },
    ]);
    const extract = tarStream.extract();
    const seen: string[] = [];
    const done = (async () => {
      for await (const e of extract) {
        seen.push(`${e.header.name} ${e.header.type} ${e.header.mode.toString(8)} ${e.header.uid}`);
        e.resume();
      }
    })();
    extract.end(tar);
    await done;
    expect(seen).toEqual(['a/ directory 755 0', 'a/b/ directory 755 0', 'a/b/c.txt file 644 0', 'run.sh file 755 0']);
  });
});
