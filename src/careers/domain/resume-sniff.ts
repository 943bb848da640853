/**
 * What a résumé file really is, judged by its bytes (never by its name or the browser's type).
 * PDF: the "%PDF-" header within the first 1,024 bytes (as readers accept it). DOCX: a ZIP
 * (local file header "PK\x03\x04") whose entries are checked later by the reader.
 */
export type ResumeKind = 'pdf' | 'docx';

export const RESUME_MAX_BYTES = 10 * 1024 * 1024;

export const RESUME_CONTENT_TYPES: Record<ResumeKind, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export function sniffResume(bytes: Uint8Array): ResumeKind | null {
  if (bytes.length < 8) return null;
  const head = Buffer.from(bytes.subarray(0, Math.min(1024, bytes.length))).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'docx';
  return null;
}

/** Limits of a DOCX's ZIP container (a zip bomb is refused before anything is inflated past them). */
export const DOCX_LIMITS = {
  maxEntries: 2000,
  maxTotalUncompressed: 50 * 1024 * 1024,
  maxEntryUncompressed: 30 * 1024 * 1024,
  maxRatio: 200,
} as const;

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

/** Decides from a ZIP's central directory whether it is a plausible, bounded DOCX; returns the problem in plain words. */
export function checkDocxEntries(entries: ZipEntryInfo[]): string | null {
  if (entries.length > DOCX_LIMITS.maxEntries) return `has ${entries.length} parts (at most ${DOCX_LIMITS.maxEntries})`;
  const names = new Set(entries.map((e) => e.name));
  if (!names.has('[Content_Types].xml') || !names.has('word/document.xml')) return 'is a ZIP file but not a Word document (.docx)';
  let total = 0;
  for (const e of entries) {
    if (e.name.includes('..') || e.name.startsWith('/')) return 'has a part with an unsafe name';
    total += e.uncompressedSize;
    if (e.uncompressedSize > DOCX_LIMITS.maxEntryUncompressed)
      return `expands to more than ${DOCX_LIMITS.maxEntryUncompressed / 1024 / 1024} MB in one part`;
    if (e.uncompressedSize > 1024 * 1024 && e.uncompressedSize / Math.max(1, e.compressedSize) > DOCX_LIMITS.maxRatio)
      return 'is compressed suspiciously well (a "zip bomb")';
  }
  if (total > DOCX_LIMITS.maxTotalUncompressed) return `expands to more than ${DOCX_LIMITS.maxTotalUncompressed / 1024 / 1024} MB`;
  return null;
}
