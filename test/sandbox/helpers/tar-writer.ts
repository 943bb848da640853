import { gzipSync } from 'node:zlib';
import * as tarStream from 'tar-stream';

/** Writes a tar.gz with exactly the given headers (symlinks, `..` names, devices...). */
export interface RawTarEntry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'fifo';
  data?: Buffer | string;
  linkname?: string;
  mode?: number;
}

export async function buildTarGz(entries: RawTarEntry[]): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const e of entries) {
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data ?? '', 'utf8');
    const type = e.type ?? 'file';
    await new Promise<void>((resolve, reject) =>
      pack.entry(
        { name: e.name, type, linkname: e.linkname, mode: e.mode ?? (type === 'directory' ? 0o755 : 0o644), size: type === 'file' ? data.length : 0 },
        type === 'file' ? data : Buffer.alloc(0),
        (err) => (err ? reject(err) : resolve()),
      ),
    );
  }
  pack.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

/** A fast plain-tar writer for many small regular files (ustar headers written directly). */
export function buildManyFilesTarGz(count: number, nameOf: (i: number) => string, data: string | Buffer = 'x'): Buffer {
  const body = Buffer.isBuffer(data) ? data : Buffer.from(data);
  const padded = Math.ceil(body.length / 512) * 512;
  const out = Buffer.alloc(count * (512 + padded) + 1024);
  for (let i = 0; i < count; i++) {
    const off = i * (512 + padded);
    const h = out.subarray(off, off + 512);
    h.write(nameOf(i), 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0' + '00', 257, 'latin1');
    let sum = 0;
    for (let j = 0; j < 512; j++) sum += h[j];
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    body.copy(out, off + 512);
  }
  return gzipSync(out);
}
