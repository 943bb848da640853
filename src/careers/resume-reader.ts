import { Injectable } from '@nestjs/common';
import mammoth from 'mammoth';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { projectRoot } from '../common/fs/project-root';
import yauzl from 'yauzl';
import { ApplicationException, ErrorCode, badRequest } from '../common/errors/application.exception';
import {
  checkDocxEntries,
  DOCX_LIMITS,
  RESUME_CONTENT_TYPES,
  RESUME_MAX_BYTES,
  ResumeKind,
  sniffResume,
  ZipEntryInfo,
} from './domain/resume-sniff';

export interface ReadResume {
  kind: ResumeKind;
  contentType: string;
  text: string;
}

/** Text kept per résumé (search indexes the first 200,000 characters). */
const MAX_TEXT = 200_000;
const PDF_MAX_PAGES = 30;
const READ_TIMEOUT_MS = 15_000;

const unreadable = (what: string) => new ApplicationException(ErrorCode.Unprocessable, `resume: ${what}`, { field: 'resume' });

/**
 * Reads a résumé: its type from its bytes (PDF or DOCX, never by its name), then its text with
 * pdf-parse (PDF.js) or mammoth. A DOCX's ZIP is checked first with yauzl, inflating every part
 * under hard caps (declared sizes are verified against the real ones), so a zip bomb is refused
 * before mammoth sees it. Anything hostile or broken is a 4xx naming the problem; nothing is
 * written before this succeeds.
 */
@Injectable()
export class ResumeReader {
  async read(bytes: Buffer): Promise<ReadResume> {
    if (bytes.length > RESUME_MAX_BYTES)
      throw new ApplicationException(ErrorCode.PayloadTooLarge, 'resume: the file is larger than 10 MB', { field: 'resume' });
    if (bytes.length === 0) throw badRequest('resume: the file is empty', { field: 'resume' });
    const kind = sniffResume(bytes);
    if (!kind)
      throw new ApplicationException(
        ErrorCode.Unprocessable,
        'resume: must be a PDF or a Word (.docx) document; this file is neither (checked by its content, not its name)',
        { field: 'resume' },
      );
    const text = await withTimeout(kind === 'pdf' ? this.pdfText(bytes) : this.docxText(bytes), READ_TIMEOUT_MS, () =>
      unreadable('the file took too long to read'),
    );
    return { kind, contentType: RESUME_CONTENT_TYPES[kind], text: normalise(text).slice(0, MAX_TEXT) };
  }

  /** pdf-parse (PDF.js) in a worker thread with its own heap cap, terminated at the time limit. */
  private pdfText(bytes: Buffer): Promise<string> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(path.join(projectRoot(), 'scripts', 'pdf-text.cjs'), {
        workerData: { bytes, maxPages: PDF_MAX_PAGES },
        resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 },
        stdout: true,
        stderr: true,
      });
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(unreadable('the PDF took too long to read'));
      }, READ_TIMEOUT_MS);
      let settled = false;
      const done = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        fn();
      };
      worker.on('message', (m: { ok: boolean; text?: string; error?: string }) =>
        done(() =>
          m.ok ? resolve((m.text ?? '').replace(/^-- \d+ of \d+ --$/gm, '')) : reject(unreadable(`the PDF could not be read (${m.error})`)),
        ),
      );
      worker.on('error', (e) =>
        done(() =>
          reject(unreadable(`the PDF could not be read (${/memory|heap/i.test(e.message) ? 'it needs too much memory' : 'damaged file'})`)),
        ),
      );
      worker.on('exit', () => done(() => reject(unreadable('the PDF could not be read'))));
    });
  }

  private async docxText(bytes: Buffer): Promise<string> {
    await inspectZip(bytes);
    try {
      const { value } = await mammoth.extractRawText({ buffer: bytes });
      return value;
    } catch (e) {
      throw unreadable(`the Word document could not be read (${(e as Error).message || 'damaged file'})`);
    }
  }
}

/** Lists the ZIP's entries, refuses a bomb by the declared sizes, then inflates each under its cap to prove them. */
function inspectZip(bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) return reject(unreadable('the file is not a readable Word document (damaged ZIP)'));
      const entries: Array<ZipEntryInfo & { entry: yauzl.Entry }> = [];
      let failed = false;
      const fail = (e: ApplicationException) => {
        if (failed) return;
        failed = true;
        zip.close();
        reject(e);
      };
      zip.on('error', () => fail(unreadable('the file is not a readable Word document (damaged ZIP)')));
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push({ name: entry.fileName, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize, entry });
        if (entries.length > DOCX_LIMITS.maxEntries)
          return fail(unreadable(`the Word document has more than ${DOCX_LIMITS.maxEntries} parts`));
        zip.readEntry();
      });
      zip.on('end', async () => {
        if (failed) return;
        const problem = checkDocxEntries(entries);
        if (problem) return fail(unreadable(`the Word document ${problem}`));
        // Declared sizes can lie: inflate every part, counting real bytes against the caps.
        let total = 0;
        try {
          for (const e of entries) {
            if (e.name.endsWith('/')) continue;
            total += await inflatedSize(zip, e.entry, DOCX_LIMITS.maxEntryUncompressed);
            if (total > DOCX_LIMITS.maxTotalUncompressed) throw new Error('too large');
          }
        } catch {
          return fail(unreadable('the Word document expands to more than it declares or to more than 50 MB (a "zip bomb"?)'));
        }
        resolve();
      });
      zip.readEntry();
    });
  });
}

function inflatedSize(zip: yauzl.ZipFile, entry: yauzl.Entry, cap: number): Promise<number> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error('no stream'));
      let n = 0;
      stream.on('data', (chunk: Buffer) => {
        n += chunk.length;
        if (n > cap) {
          stream.destroy();
          reject(new Error('cap'));
        }
      });
      stream.on('error', reject);
      stream.on('end', () => resolve(n));
    });
  });
}

function normalise(text: string): string {
  return text
    .replace(/\u0000/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(onTimeout()), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}
