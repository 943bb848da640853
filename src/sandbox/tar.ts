import { createReadStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import * as tarStream from 'tar-stream';
import { WorkFile } from './domain/work-files';

/** Builds a tar in memory from already-validated files (regular files only, root-owned bits dropped). */
export async function packFiles(files: readonly WorkFile[], mtime = new Date()): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (dirs.has(dir)) continue;
      dirs.add(dir);
      await addEntry(pack, { name: `${dir}/`, type: 'directory', mode: 0o755, mtime, uid: 0, gid: 0 });
    }
    await addEntry(
      pack,
      { name: f.path, type: 'file', mode: (f.mode ?? 0o644) & 0o111 ? 0o755 : 0o644, mtime, uid: 0, gid: 0, size: f.content.length },
      f.content,
    );
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

function addEntry(pack: tarStream.Pack, header: Partial<tarStream.Header> & { name: string }, body?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry(header, body ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve()));
  });
}

export type SingleFileResult =
  | { ok: true; content: Buffer }
  | { ok: false; reason: 'missing' | 'not_regular_file' | 'too_large' | 'unreadable'; detail?: string };

/**
 * Reads a tar (as produced by the sandbox's collect script) in memory and returns the content of
 * `name` only if it is a regular file. A symlink, hard link, device or directory planted at that
 * path is refused, never followed (cf. Judge0 CVE-2024-28185/28189).
 */
export async function readSingleRegularFile(tar: Buffer, name: string, maxBytes: number): Promise<SingleFileResult> {
  if (tar.length === 0) return { ok: false, reason: 'missing' };
  let result: SingleFileResult = { ok: false, reason: 'missing' };
  try {
    const extract = tarStream.extract();
    Readable.from([tar]).pipe(extract);
    for await (const entry of extract) {
      const h = entry.header;
      if (h.name.replace(/^\.\//, '') !== name) {
        entry.resume();
        continue;
      }
      if (h.type !== 'file' && h.type !== 'contiguous-file') {
        entry.resume();
        result = { ok: false, reason: 'not_regular_file', detail: `${name} is a ${h.type ?? 'unknown entry'}` };
        continue;
      }
      if ((h.size ?? 0) > maxBytes) {
        entry.resume();
        result = { ok: false, reason: 'too_large', detail: `${name} is ${h.size} bytes (cap ${maxBytes})` };
        continue;
      }
      const parts: Buffer[] = [];
      for await (const c of entry) parts.push(c as Buffer);
      result = { ok: true, content: Buffer.concat(parts) };
    }
  } catch (e) {
    if (result.ok) return result;
    return { ok: false, reason: 'unreadable', detail: (e as Error).message };
  }
  return result;
}

export interface DirSource {
  /** Folder on the host. */
  dir: string;
  /** Path prefix inside the tar ('' for the root). */
  prefix: string;
}

const IGNORED_SEGMENTS = new Set(['.DS_Store', '__pycache__', '.git']);

/**
 * Streams a tar of several host folders (a Docker build context) without copying them.
 * Entries are root-owned with normalized permissions (0755 dirs and executables, 0644 files)
 * and a fixed mtime, so the same inputs give the same layers.
 */
export function packDirectories(sources: readonly DirSource[], skip: (relPath: string) => boolean = () => false): NodeJS.ReadableStream {
  const pack = tarStream.pack();
  const mtime = new Date(0);
  (async () => {
    for (const src of sources) {
      await walkInto(pack, src.dir, src.prefix, '', skip, mtime);
    }
    pack.finalize();
  })().catch((e) => pack.destroy(e as Error));
  return pack as unknown as NodeJS.ReadableStream;
}

async function walkInto(pack: tarStream.Pack, root: string, prefix: string, rel: string, skip: (p: string) => boolean, mtime: Date) {
  const abs = path.join(root, rel);
  const entries = (await fsp.readdir(abs, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (IGNORED_SEGMENTS.has(e.name)) continue;
    const childRel = rel ? `${rel}/${e.name}` : e.name;
    const name = prefix ? `${prefix}/${childRel}` : childRel;
    if (skip(name)) continue;
    const childAbs = path.join(root, childRel);
    const st = await fsp.lstat(childAbs);
    const base = { uid: 0, gid: 0, mtime };
    if (st.isDirectory()) {
      await addEntry(pack, { ...base, name: `${name}/`, type: 'directory', mode: 0o755 });
      await walkInto(pack, root, prefix, childRel, skip, mtime);
    } else if (st.isSymbolicLink()) {
      await addEntry(pack, { ...base, name, type: 'symlink', linkname: await fsp.readlink(childAbs), mode: 0o777 });
    } else if (st.isFile()) {
      const mode = st.mode & 0o111 ? 0o755 : 0o644;
      await new Promise<void>((resolve, reject) => {
        const entry = pack.entry({ ...base, name, type: 'file', mode, size: st.size }, (err) => (err ? reject(err) : resolve()));
        entry.on('error', reject);
        createReadStream(childAbs)
          .on('error', reject)
          .pipe(entry as unknown as NodeJS.WritableStream);
      });
    }
  }
}

/**
 * True when `buf` is empty or one tar entry followed by nothing but zero bytes (the end-of-archive
 * blocks and padding). The run script's report tar always is; anything written into the report
 * channel by someone else before it (a forged facts line and tar) leaves non-zero bytes after the
 * first entry, or a second entry.
 */
export function isSingleEntryTar(buf: Buffer): boolean {
  if (buf.length === 0) return true;
  if (buf.length < 512 || buf.length % 512 !== 0) return false;
  const field = buf
    .subarray(124, 136)
    .toString('latin1')
    .replace(/\0[\s\S]*$/, '')
    .trim();
  if (!/^[0-7]{1,11}$/.test(field)) return false;
  const size = parseInt(field, 8);
  const end = 512 + Math.ceil(size / 512) * 512;
  if (end > buf.length) return false;
  for (let i = end; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}
