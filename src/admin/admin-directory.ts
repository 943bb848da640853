import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Names for the ids an admin page shows (people, candidates, openings, applications, webhooks), read-only. */
@Injectable()
export class AdminDirectory {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async names(ids: Iterable<string>): Promise<Map<string, string>> {
    const list = [...new Set([...ids].filter((id) => UUID.test(id)))];
    if (!list.length) return new Map();
    const rows: Array<{ id: string; name: string }> = await this.ds.query(
      `SELECT id::text, name FROM users WHERE id = ANY($1::uuid[])
       UNION ALL SELECT id::text, name FROM candidates WHERE id = ANY($1::uuid[])
       UNION ALL SELECT id::text, title FROM openings WHERE id = ANY($1::uuid[])
       UNION ALL SELECT a.id::text, c.name || ' for ' || o.title FROM applications a JOIN candidates c ON c.id = a.candidate_id JOIN openings o ON o.id = a.opening_id WHERE a.id = ANY($1::uuid[])
       UNION ALL SELECT id::text, url FROM webhook_endpoints WHERE id = ANY($1::uuid[])`,
      [list],
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
