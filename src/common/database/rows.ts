/**
 * TypeORM's query() returns the rows for SELECT and INSERT … RETURNING, but [rows, affected]
 * for UPDATE/DELETE … RETURNING. This normalises both to the rows.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
