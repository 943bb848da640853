import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import * as tarStream from 'tar-stream';
import * as yauzlModule from 'yauzl';

/**
 * Archive safety: reads a zip or tar.gz (or plain tar) from memory, or a folder, into a list of
 * files, refusing anything that could escape or exhaust the place it is unpacked into:
 * absolute paths, `..` segments, links of any kind, device/fifo entries, too many entries, and
 * more expanded bytes than allowed (counted while decompressing, so bombs stop early).
 * Used by the grader (hidden tests, submissions) and the upload endpoint.
 */

export type ArchiveErrorCode =
  | 'unsupported_format'
  | 'unreadable'
  | 'absolute_path'
  | 'path_traversal'
  | 'invalid_name'
  | 'link_entry'
  | 'special_entry'
  | 'too_many_entries'
  | 'too_large'
  | 'duplicate_entry'
  | 'not_found';

export class ArchiveError extends Error {
  constructor(
    readonly code: ArchiveErrorCode,
    message: string,
    readonly entry?: string,
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

export interface ArchiveLimits {
  /** Entries of any kind (files and folders). */
  maxEntries: number;
  /** Sum of the files' expanded sizes. */
  maxTotalBytes: number;
  /** Characters in one normalized path. */
  maxPathLength: number;
  /** Folder depth of one path. */
  maxDepth: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 2000,
  maxTotalBytes: 50 * 1024 * 1024,
  maxPathLength: 512,
  maxDepth: 32,
};

export interface ArchiveFile {
  /** Normalized relative POSIX path (no leading ./, no `..`, no empty segments). */
  path: string;
  content: Buffer;
  /** 0o755 when the entry was executable, else 0o644. */
  mode: number;
}

export type ArchiveFormat = 'zip' | 'tar.gz' | 'tar' | 'directory';

export interface ReadOptions extends Partial<ArchiveLimits> {
  /** When every file sits under one top folder (a zipped project folder), drop that folder. */
  stripCommonRoot?: boolean;
}

export interface ReadResult {
  format: ArchiveFormat;
  files: ArchiveFile[];
}

/** Zip by its local-header (or empty-archive) magic, gzip by 1f 8b, tar by "ustar" at 257. */
export function detectArchiveFormat(buf: Buffer): Exclude<ArchiveFormat, 'directory'> | null {
  if (buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && ((buf[2] === 3 && buf[3] === 4) || (buf[2] === 5 && buf[3] === 6))) {
    return 'zip';
  }
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return 'tar.gz';
  if (buf.length >= 262 && buf.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  return null;
}

/**
 * Validates one entry name and returns its normalized relative path ('' for the archive root).
 * Backslashes count as separators (some Windows tools write them).
 */
export function normalizeEntryPath(
  raw: string,
  limits: Pick<ArchiveLimits, 'maxPathLength' | 'maxDepth'> = DEFAULT_ARCHIVE_LIMITS,
): string {
  const shown = JSON.stringify(raw.length > 200 ? `${raw.slice(0, 200)}…` : raw);
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw new ArchiveError('invalid_name', `Entry ${shown} has control characters in its name`, raw);
  const p = raw.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) throw new ArchiveError('absolute_path', `Entry ${shown} has an absolute path`, raw);
  const segments = p.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..'))
    throw new ArchiveError('path_traversal', `Entry ${shown} points outside the archive (".." in its path)`, raw);
  const out = segments.join('/');
  if (out.length > limits.maxPathLength || segments.length > limits.maxDepth || segments.some((s) => Buffer.byteLength(s) > 255)) {
    throw new ArchiveError('invalid_name', `Entry ${shown} has a path that is too long or too deep`, raw);
  }
  return out;
}

/** Files that archivers add on their own and nobody means to submit. */
const isJunk = (p: string) => p === '__MACOSX' || p.startsWith('__MACOSX/') || p === '.DS_Store' || p.endsWith('/.DS_Store');

const modeOf = (mode: number | undefined) => ((mode ?? 0) & 0o111 ? 0o755 : 0o644);

/** Collects entries, enforcing counts, sizes, duplicates and file/folder clashes. */
class Collector {
  readonly files: ArchiveFile[] = [];
  private readonly paths = new Map<string, 'file' | 'dir'>();
  private entries = 0;
  private bytes = 0;

  constructor(readonly limits: ArchiveLimits) {}

  countEntry(): void {
    this.entries++;
    if (this.entries > this.limits.maxEntries) {
      throw new ArchiveError('too_many_entries', `The archive has more than ${this.limits.maxEntries} entries`);
    }
  }

  addBytes(n: number, entry: string): void {
    this.bytes += n;
    if (this.bytes > this.limits.maxTotalBytes) {
      throw new ArchiveError(
        'too_large',
        `The archive expands to more than ${formatBytes(this.limits.maxTotalBytes)} (stopped at ${JSON.stringify(entry)})`,
        entry,
      );
    }
  }

  addDir(p: string): void {
    if (!p || isJunk(p)) return;
    this.claimParents(p);
    const existing = this.paths.get(p);
    if (existing === 'file') throw new ArchiveError('duplicate_entry', `Entry ${JSON.stringify(p)} is both a file and a folder`, p);
    this.paths.set(p, 'dir');
  }

  addFile(p: string, content: Buffer, mode: number): void {
    if (!p) throw new ArchiveError('invalid_name', 'An entry has an empty name');
    if (isJunk(p)) return;
    this.claimParents(p);
    if (this.paths.has(p)) {
      throw new ArchiveError('duplicate_entry', `Entry ${JSON.stringify(p)} appears more than once (or is also a folder)`, p);
    }
    this.paths.set(p, 'file');
    this.files.push({ path: p, content, mode: modeOf(mode) });
  }

  private claimParents(p: string): void {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (this.paths.get(dir) === 'file') {
        throw new ArchiveError('duplicate_entry', `Entry ${JSON.stringify(p)} is inside ${JSON.stringify(dir)}, which is a file`, p);
      }
      this.paths.set(dir, 'dir');
    }
  }
}

function resolveLimits(options: ReadOptions): ArchiveLimits {
  return {
    maxEntries: options.maxEntries ?? DEFAULT_ARCHIVE_LIMITS.maxEntries,
    maxTotalBytes: options.maxTotalBytes ?? DEFAULT_ARCHIVE_LIMITS.maxTotalBytes,
    maxPathLength: options.maxPathLength ?? DEFAULT_ARCHIVE_LIMITS.maxPathLength,
    maxDepth: options.maxDepth ?? DEFAULT_ARCHIVE_LIMITS.maxDepth,
  };
}

/** Reads a zip, tar.gz or tar held in memory. Throws ArchiveError naming the problem. */
export async function readArchive(buf: Buffer, options: ReadOptions = {}): Promise<ReadResult> {
  const format = detectArchiveFormat(buf);
  if (!format) throw new ArchiveError('unsupported_format', 'The file is not a zip or tar.gz archive');
  const collector = new Collector(resolveLimits(options));
  try {
    if (format === 'zip') await readZip(buf, collector);
    else await readTar(buf, format === 'tar.gz', collector);
  } catch (e) {
    if (e instanceof ArchiveError) throw e;
    throw new ArchiveError('unreadable', `The ${format} archive could not be read: ${(e as Error).message}`);
  }
  return { format, files: options.stripCommonRoot ? stripCommonRoot(collector.files) : collector.files };
}

async function readTar(buf: Buffer, gzipped: boolean, c: Collector): Promise<void> {
  // Header and padding bytes are bounded too, so a bomb made of empty entries stops as well.
  const rawCap = c.limits.maxTotalBytes + (c.limits.maxEntries + 16) * 3 * 512 + 1024 * 1024;
  let raw = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      raw += chunk.length;
      if (raw > rawCap) cb(new ArchiveError('too_large', `The archive expands to more than ${formatBytes(c.limits.maxTotalBytes)}`));
      else cb(null, chunk);
    },
  });
  const source = Readable.from([buf]);
  const extract = tarStream.extract();
  const streams: Array<NodeJS.ReadableStream | NodeJS.WritableStream> = [source];
  let tail: NodeJS.ReadableStream = source;
  if (gzipped) {
    const gunzip = createGunzip();
    streams.push(gunzip);
    tail = tail.pipe(gunzip);
  }
  streams.push(counter);
  tail = tail.pipe(counter);
  let failure: Error | undefined;
  for (const s of streams)
    (s as NodeJS.EventEmitter).on('error', (e: Error) => {
      failure ??= e;
      (extract as unknown as { destroy(e: Error): void }).destroy(e);
    });
  tail.pipe(extract as unknown as NodeJS.WritableStream);
  try {
    for await (const entry of extract) {
      const h = entry.header;
      c.countEntry();
      const p = normalizeEntryPath(h.name, c.limits);
      switch (h.type) {
        case 'directory':
          entry.resume();
          c.addDir(p);
          break;
        case 'file':
        case 'contiguous-file': {
          if ((h.size ?? 0) > c.limits.maxTotalBytes) c.addBytes(h.size ?? 0, p);
          const parts: Buffer[] = [];
          for await (const chunk of entry) {
            c.addBytes((chunk as Buffer).length, p);
            parts.push(chunk as Buffer);
          }
          c.addFile(p, Buffer.concat(parts), h.mode ?? 0o644);
          break;
        }
        case 'symlink':
        case 'link':
          throw new ArchiveError(
            'link_entry',
            `Entry ${JSON.stringify(p)} is a ${h.type === 'link' ? 'hard link' : 'symbolic link'} (links are not accepted)`,
            p,
          );
        default:
          throw new ArchiveError(
            'special_entry',
            `Entry ${JSON.stringify(p)} is a ${h.type ?? 'special'} entry (only files and folders are accepted)`,
            p,
          );
      }
    }
  } catch (e) {
    for (const s of streams) (s as unknown as { destroy?: () => void }).destroy?.();
    throw failure instanceof ArchiveError ? failure : e;
  }
  if (failure) throw failure;
}

interface ZipEntry {
  fileNameRaw: Buffer;
  generalPurposeBitFlag: number;
  extraFields: Array<{ id: number; data: Buffer }>;
  externalFileAttributes: number;
  versionMadeBy: number;
  uncompressedSize: number;
  isEncrypted(): boolean;
  canDecodeFileData(): boolean;
}

interface ZipFile extends NodeJS.EventEmitter {
  entryCount: number;
  readEntry(): void;
  close(): void;
  openReadStream(entry: ZipEntry, cb: (err: Error | null, stream: Readable) => void): void;
}

const yauzl = yauzlModule as unknown as {
  fromBuffer(buf: Buffer, opts: Record<string, unknown>, cb: (err: Error | null, zip: ZipFile) => void): void;
  getFileNameLowLevel(flag: number, name: Buffer, extra: unknown, strict: boolean): string;
};

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

async function readZip(buf: Buffer, c: Collector): Promise<void> {
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(buf, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (err, z) =>
      err ? reject(err) : resolve(z),
    ),
  );
  try {
    if (zip.entryCount > c.limits.maxEntries) {
      throw new ArchiveError('too_many_entries', `The archive has ${zip.entryCount} entries; at most ${c.limits.maxEntries} are accepted`);
    }
    let declared = 0;
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: ZipEntry) => {
        handle(entry).then(() => zip.readEntry(), reject);
      });
      zip.readEntry();
    });

    async function handle(entry: ZipEntry): Promise<void> {
      c.countEntry();
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      const p = normalizeEntryPath(name, c.limits);
      // Unix permissions live in the high 16 bits when the archive was made on Unix (host 3).
      const host = entry.versionMadeBy >> 8;
      const unixMode = host === 3 || host === 19 ? entry.externalFileAttributes >>> 16 : 0;
      const type = unixMode & S_IFMT;
      if (type === S_IFLNK) {
        throw new ArchiveError('link_entry', `Entry ${JSON.stringify(p)} is a symbolic link (links are not accepted)`, p);
      }
      if (type !== 0 && type !== S_IFDIR && type !== S_IFREG) {
        throw new ArchiveError('special_entry', `Entry ${JSON.stringify(p)} is a special file (only files and folders are accepted)`, p);
      }
      if (name.endsWith('/') || type === S_IFDIR || (entry.externalFileAttributes & 0x10) !== 0) {
        c.addDir(p);
        return;
      }
      if (entry.isEncrypted()) throw new ArchiveError('unreadable', `Entry ${JSON.stringify(p)} is encrypted`, p);
      if (!entry.canDecodeFileData())
        throw new ArchiveError('unreadable', `Entry ${JSON.stringify(p)} uses an unsupported compression method`, p);
      // Declared sizes are checked first (cheap), then real bytes as they inflate (yauzl also
      // errors when an entry inflates to more than it declared).
      declared += entry.uncompressedSize;
      if (declared > c.limits.maxTotalBytes) {
        throw new ArchiveError(
          'too_large',
          `The archive expands to more than ${formatBytes(c.limits.maxTotalBytes)} (stopped at ${JSON.stringify(p)})`,
          p,
        );
      }
      const stream = await new Promise<Readable>((resolve, reject) =>
        zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))),
      );
      const parts: Buffer[] = [];
      try {
        for await (const chunk of stream) {
          c.addBytes((chunk as Buffer).length, p);
          parts.push(chunk as Buffer);
        }
      } catch (e) {
        stream.destroy();
        if (!(e instanceof ArchiveError) && /too many bytes/i.test((e as Error).message)) {
          throw new ArchiveError('too_large', `Entry ${JSON.stringify(p)} expands to more than the size it declares (a zip bomb?)`, p);
        }
        throw e;
      }
      c.addFile(p, Buffer.concat(parts), unixMode);
    }
  } finally {
    zip.close();
  }
}

/** Reads a folder on disk with the same rules (symlinks and special files refused). */
export async function readDirectory(dir: string, options: ReadOptions = {}): Promise<ReadResult> {
  const collector = new Collector(resolveLimits(options));
  const root = path.resolve(dir);
  const st = await fsp.stat(root).catch(() => null);
  if (!st?.isDirectory()) throw new ArchiveError('not_found', `${dir} is not a folder`);
  const walk = async (rel: string): Promise<void> => {
    const entries = (await fsp.readdir(path.join(root, rel), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (SKIPPED_DIRS.has(e.name)) continue;
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      collector.countEntry();
      const p = normalizeEntryPath(childRel, collector.limits);
      const abs = path.join(root, childRel);
      const lst = await fsp.lstat(abs);
      if (lst.isSymbolicLink()) throw new ArchiveError('link_entry', `${JSON.stringify(p)} is a symbolic link (links are not accepted)`, p);
      if (lst.isDirectory()) {
        collector.addDir(p);
        await walk(childRel);
      } else if (lst.isFile()) {
        collector.addBytes(lst.size, p);
        collector.addFile(p, await fsp.readFile(abs), lst.mode);
      } else {
        throw new ArchiveError('special_entry', `${JSON.stringify(p)} is a special file (only files and folders are accepted)`, p);
      }
    }
  };
  await walk('');
  return { format: 'directory', files: options.stripCommonRoot ? stripCommonRoot(collector.files) : collector.files };
}

/** Folders never read from disk: version control and installed dependencies. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '__pycache__']);

/** A folder, or a file holding a zip / tar.gz / tar. */
export async function loadFiles(location: string, options: ReadOptions = {}): Promise<ReadResult> {
  const st = await fsp.stat(location).catch(() => null);
  if (!st) throw new ArchiveError('not_found', `${location} does not exist`);
  if (st.isDirectory()) return readDirectory(location, options);
  const limits = resolveLimits(options);
  // A compressed archive is never larger than what it expands to plus overhead.
  if (st.size > limits.maxTotalBytes * 2 + 1024 * 1024) {
    throw new ArchiveError('too_large', `${location} is larger than ${formatBytes(limits.maxTotalBytes)}`);
  }
  return readArchive(await fsp.readFile(location), options);
}

/** Drops a single top folder shared by every file ("project/src/a.js" → "src/a.js"). */
/**
 * Source folders of the supported ecosystems (Maven's src/, Ruby's lib/, Go's internal/...): an
 * upload whose only top folder is one of these is the project itself, not a wrapper folder.
 */
export const SOURCE_ROOT_FOLDERS = new Set(['src', 'lib', 'app', 'include', 'main', 'test', 'tests', 'spec', 'cmd', 'internal']);

export function stripCommonRoot(files: ArchiveFile[]): ArchiveFile[] {
  if (files.length === 0) return files;
  const first = files[0].path.split('/')[0];
  const shared = files.every((f) => f.path.includes('/') && f.path.split('/')[0] === first);
  if (!shared || SOURCE_ROOT_FOLDERS.has(first)) return files;
  return files.map((f) => ({ ...f, path: f.path.slice(first.length + 1) }));
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}
