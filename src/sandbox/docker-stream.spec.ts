import { CappedBuffer, MuxStreamReader, TailBuffer } from './docker-stream';

const frame = (type: number, text: string) => {
  const payload = Buffer.from(text);
  const h = Buffer.alloc(8);
  h[0] = type;
  h.writeUInt32BE(payload.length, 4);
  return Buffer.concat([h, payload]);
};

describe('MuxStreamReader', () => {
  it('demultiplexes frames split across chunks and counts bytes per stream', () => {
    const got: string[] = [];
    const r = new MuxStreamReader((s, p) => got.push(`${s}:${p.toString()}`));
    const all = Buffer.concat([frame(1, 'hello '), frame(2, 'oops'), frame(1, 'world')]);
    for (let i = 0; i < all.length; i += 3) r.push(all.subarray(i, i + 3));
    expect(got).toEqual(['stdout:hello ', 'stderr:oops', 'stdout:world']);
    expect(r.bytes).toEqual({ stdout: 11, stderr: 4 });
    expect(r.total).toBe(15);
  });
});

describe('TailBuffer', () => {
  it('keeps only the last bytes and says how many were dropped', () => {
    const t = new TailBuffer(10);
    t.push(Buffer.from('0123456789'));
    t.push(Buffer.from('abcdef'));
    expect(t.dropped).toBe(6);
    expect(t.toString()).toBe('[… 6 earlier bytes not kept …]\n6789abcdef');
  });
  it('never starts in the middle of a UTF-8 character', () => {
    const t = new TailBuffer(5);
    t.push(Buffer.from('aé€x')); // 1 + 2 + 3 + 1 bytes
    expect(t.toString()).toMatch(/\n€x$/);
  });
});

describe('CappedBuffer', () => {
  it('stops collecting at the cap', () => {
    const c = new CappedBuffer(5);
    c.push(Buffer.from('abc'));
    c.push(Buffer.from('def'));
    c.push(Buffer.from('g'));
    expect(c.overflowed).toBe(true);
    expect(c.toBuffer().toString()).toBe('abc');
  });
});

describe('TailBuffer.trimSuffix', () => {
  it('drops a line the kept bytes end with, across chunks, and nothing else', () => {
    const t = new TailBuffer(1024);
    t.push(Buffer.from('ok 1\nsandbox-log'));
    t.push(Buffer.from('-end abc\n'));
    expect(t.trimSuffix(Buffer.from('sandbox-log-end xyz\n'))).toBe(false);
    expect(t.trimSuffix(Buffer.from('sandbox-log-end abc\n'))).toBe(true);
    expect(t.toString()).toBe('ok 1\n');
    t.push(Buffer.from('more'));
    expect(t.toString()).toBe('ok 1\nmore');
  });
});
