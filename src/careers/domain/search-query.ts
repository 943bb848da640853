/**
 * Turns what a recruiter typed into a PostgreSQL tsquery (for to_tsquery('simple', …)): every
 * word is required and matched as a prefix ("kube" finds "Kubernetes"); accents are removed by
 * unaccent on both sides in SQL. Anything that is not a letter or a digit separates words, so the
 * query can never be malformed ("ada@example.com" -> ada:* & example:* & com:*).
 */
export function toPrefixTsQuery(input: string | undefined | null, maxWords = 8): string | null {
  if (!input) return null;
  const words = input
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, maxWords)
    .map((w) => w.slice(0, 60));
  if (!words.length) return null;
  return [...new Set(words)].map((w) => `${w}:*`).join(' & ');
}
