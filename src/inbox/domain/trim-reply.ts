/** Bounds on what one inbound mail may occupy once stored (docs/inbox.md). */
export const TEXT_LIMIT = 100_000;
export const DISPLAY_LIMIT = 20_000;

const QUOTE_HEADERS: RegExp[] = [
  /^\s*On\b.{0,300}\bwrote:\s*$/i, // Gmail, Apple Mail, Thunderbird
  /^\s*Am\b.{0,300}\bschrieb.{0,80}:\s*$/i, // German clients
  /^\s*Le\b.{0,300}\ba écrit\s*:\s*$/i, // French clients
  /^\s*-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}\s*$/i, // Outlook
  /^\s*_{10,}\s*$/, // Outlook's rule above its From:/Sent: block
  /^\s*From:\s.{1,300}$/i, // a forwarded or Outlook-quoted header block (checked with the next line)
];
const SIGNATURE_MARKERS: RegExp[] = [
  /^-- ?$/, // RFC 3676 signature separator
  /^\s*Sent from my (iPhone|iPad|Android|mobile|Samsung|Galaxy).{0,60}$/i,
  /^\s*Get Outlook for (iOS|Android).{0,20}$/i,
];

/**
 * The part of a reply worth showing in the thread: the text above the quoted history (a client's
 * "On … wrote:" line, an Outlook header block, or a run of `>` lines) and above the signature.
 * The original is kept beside it. Never returns an empty string for a non-empty reply: when
 * everything looks quoted (a top-quoted forward), the original (bounded) is shown.
 */
export function trimReply(text: string): string {
  const bounded = text.slice(0, TEXT_LIMIT).replace(/\r\n?/g, '\n');
  const lines = bounded.split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const outlookBlock = /^\s*From:\s/i.test(line) && /^\s*(Sent|Date|To|Subject):\s/i.test(lines[i + 1] ?? '');
    const quoteHeader = QUOTE_HEADERS.slice(0, -1).some((r) => r.test(line)) || outlookBlock;
    // "On Mon, 3 Feb 2025 at 10:00, Hiring <x@y>" may wrap before "wrote:".
    const wrapped = /^\s*On\b.{0,300}$/i.test(line) && /^.{0,300}\bwrote:\s*$/i.test(lines[i + 1] ?? '') && i + 1 < lines.length;
    const quoteRun = /^\s*>/.test(line) && lines.slice(i).every((l) => /^\s*(>|$)/.test(l));
    if (quoteHeader || wrapped || quoteRun || SIGNATURE_MARKERS.some((r) => r.test(line))) {
      end = i;
      break;
    }
  }
  const kept = lines
    .slice(0, end)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const shown = kept || bounded.trim();
  return shown.length > DISPLAY_LIMIT ? `${shown.slice(0, DISPLAY_LIMIT)}…` : shown;
}
