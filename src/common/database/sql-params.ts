/**
 * Positional parameters for a statement assembled from fragments (data-modifying CTEs written by
 * different modules): `p.add(value, '::uuid')` appends the value and returns `$n::uuid`. The cast
 * matters where a parameter sits in a SELECT list (INSERT … SELECT), whose types are not taken
 * from the target columns.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}

/** `WITH a AS (…), b AS (…) <tail>` */
export function withCtes(ctes: readonly string[], tail: string): string {
  return `WITH ${ctes.join(',\n')}\n${tail}`;
}
