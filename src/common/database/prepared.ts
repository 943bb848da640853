import { createHash } from 'node:crypto';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

interface PgQueryable {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

const names = new Map<string, string>();
/** The statement's name: a digest of its text, so one name never stands for two texts. */
function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `p${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    if (names.size < 2000) names.set(text, name);
  }
  return name;
}

/**
 * A query as a named prepared statement: each pooled connection parses and plans it once (after
 * five runs PostgreSQL keeps a generic plan when it costs no more), instead of once per call as
 * `ds.query` does. For the hot statements whose text is fixed (the team-scope check, the read of
 * an application, a stage move): planning them cost more PostgreSQL CPU than running them.
 * With an EntityManager in a transaction, the statement runs on that transaction's connection.
 * Returns the rows; errors are QueryFailedError as from `ds.query`.
 */
export async function preparedQuery<T = Record<string, unknown>>(
  on: DataSource | EntityManager,
  text: string,
  values: readonly unknown[],
): Promise<T[]> {
  const runner = on instanceof EntityManager ? on.queryRunner : undefined;
  const ds = on instanceof EntityManager ? on.connection : on;
  const target: PgQueryable =
    runner && !runner.isReleased ? ((await runner.connect()) as PgQueryable) : (ds.driver as unknown as { master: PgQueryable }).master;
  try {
    return (await target.query({ name: nameOf(text), text, values: values as unknown[] })).rows as T[];
  } catch (e) {
    throw new QueryFailedError(text, values as unknown[], e as Error);
  }
}
