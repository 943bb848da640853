/**
 * A safe `Content-Disposition: attachment` for a file name that came from a stranger (an
 * applicant's upload, an inbound mail's attachment): the plain `filename` is printable ASCII
 * without quotes, backslashes, slashes or control characters (anything else becomes `_`), and
 * `filename*` (RFC 5987/6266) carries the real name, UTF-8 and percent-encoded, so no header
 * injection, no path and no broken quoting is possible whatever the name.
 *
 * `extension` (the real type, when the server knows it: a résumé's pdf/docx) replaces whatever
 * the name claims; without it the name keeps its own (an inbound attachment, served as
 * application/octet-stream). `fallback` names a file whose name is empty once cleaned.
 */
export function attachmentDisposition(rawName: string, extension?: string, fallback = 'file'): string {
  const ext = extension === undefined ? '' : `.${extension.replace(/[^a-z0-9]/gi, '').toLowerCase()}`;
  let name = (rawName || '')
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[\\/]+/g, '_')
    .trim();
  name = name.replace(/^\.+/, '');
  if (ext && name.toLowerCase().endsWith(ext)) name = name.slice(0, -ext.length);
  name = (name.slice(0, 120).trim() || fallback) + ext;
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["%;\\*']/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
