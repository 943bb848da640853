import { EntityManager } from 'typeorm';

export interface ColumnInfo {
  name: string;
  type: 'text' | 'char' | 'jsonb' | 'bytea' | 'text[]' | 'other';
  nullable: boolean;
  /** Under a CHECK constraint (an enum-like column): never blanked by the generic rules. */
  checked?: boolean;
}

/** A table holding rows about a candidate, and the SQL condition that selects them ($1 candidate id, $2 application ids). */
export interface LinkedTable {
  table: string;
  where: string;
  columns: ColumnInfo[];
  via: string;
}

const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

function kind(dataType: string, udt: string): ColumnInfo['type'] {
  if (dataType === 'text' || dataType === 'character varying') return 'text';
  if (dataType === 'character') return 'char';
  if (dataType === 'jsonb' || dataType === 'json') return 'jsonb';
  if (dataType === 'bytea') return 'bytea';
  if (dataType === 'ARRAY' && (udt === '_text' || udt === '_varchar')) return 'text[]';
  return 'other';
}

/**
 * Every table that stores rows about one candidate, found at run time so tables added by later
 * migrations are covered without a code change: tables with a candidate_id or application_id
 * column, tables with a foreign key to candidates or applications under another name, and their
 * direct children (a foreign key to one of those tables, e.g. attestations → invitations).
 * candidates and applications themselves are not listed (handled explicitly).
 */
export async function discoverLinkedTables(m: EntityManager): Promise<LinkedTable[]> {
  const cols: Array<{ table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: string }> = await m.query(
    `SELECT c.table_name, c.column_name, c.data_type, c.udt_name, c.is_nullable
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = current_schema()
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const fks: Array<{ child: string; fk_col: string; parent: string; parent_col: string }> = await m.query(
    `SELECT cl.relname AS child, a.attname AS fk_col, pcl.relname AS parent, pa.attname AS parent_col
       FROM pg_constraint con
       JOIN pg_class cl ON cl.oid = con.conrelid
       JOIN pg_class pcl ON pcl.oid = con.confrelid
       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
       JOIN pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = con.confkey[1]
      WHERE con.contype = 'f' AND cardinality(con.conkey) = 1 AND cl.relnamespace = current_schema()::regnamespace`,
  );
  const checks: Array<{ table_name: string; column_name: string }> = await m.query(
    `SELECT cl.relname AS table_name, a.attname AS column_name
       FROM pg_constraint con
       JOIN pg_class cl ON cl.oid = con.conrelid
       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)
      WHERE con.contype = 'c' AND cl.relnamespace = current_schema()::regnamespace`,
  );
  const checked = new Set(checks.map((c) => `${c.table_name}.${c.column_name}`));
  const columns = new Map<string, ColumnInfo[]>();
  for (const c of cols) {
    const list = columns.get(c.table_name) ?? [];
    list.push({
      name: c.column_name,
      type: kind(c.data_type, c.udt_name),
      nullable: c.is_nullable === 'YES',
      checked: checked.has(`${c.table_name}.${c.column_name}`),
    });
    columns.set(c.table_name, list);
  }
  const roots = new Set(['candidates', 'applications']);
  const direct = new Map<string, string[]>();
  const add = (table: string, cond: string) => {
    if (roots.has(table)) return;
    const list = direct.get(table) ?? [];
    if (!list.includes(cond)) list.push(cond);
    direct.set(table, list);
  };
  for (const [table, list] of columns) {
    for (const c of list) {
      if (c.name === 'candidate_id') add(table, `${q('candidate_id')} = $1`);
      if (c.name === 'application_id') add(table, `${q('application_id')} = ANY($2::uuid[])`);
    }
  }
  for (const f of fks) {
    if (f.parent === 'candidates' && f.parent_col === 'id') add(f.child, `${q(f.fk_col)} = $1`);
    if (f.parent === 'applications' && f.parent_col === 'id') add(f.child, `${q(f.fk_col)} = ANY($2::uuid[])`);
  }
  // Both parameters are typed in every condition (PostgreSQL refuses a parameter it cannot type).
  const typed = (conds: string[]) => `((${conds.join(' OR ')}) AND num_nonnulls($1::uuid, $2::uuid[]) >= 0)`;
  const out: LinkedTable[] = [...direct].map(([table, conds]) => ({
    table,
    where: typed(conds),
    columns: columns.get(table) ?? [],
    via: 'direct',
  }));
  // One level of children of the direct tables (not already direct, not the roots).
  const directWhere = new Map(out.map((t) => [t.table, t.where]));
  const children = new Map<string, string[]>();
  for (const f of fks) {
    const parentWhere = directWhere.get(f.parent);
    if (!parentWhere || directWhere.has(f.child) || roots.has(f.child) || f.child === f.parent) continue;
    const list = children.get(f.child) ?? [];
    list.push(`${q(f.fk_col)} IN (SELECT ${q(f.parent_col)} FROM ${q(f.parent)} WHERE ${parentWhere})`);
    children.set(f.child, list);
  }
  for (const [table, conds] of children) out.push({ table, where: typed(conds), columns: columns.get(table) ?? [], via: 'child' });
  return out.sort((a, b) => a.table.localeCompare(b.table));
}

export const quoteIdent = q;
