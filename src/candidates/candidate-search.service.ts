import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { toPrefixTsQuery } from '../careers/domain/search-query';
import { badRequest } from '../common/errors/application.exception';

export interface CandidateFilter {
  q?: string;
  openingId?: string;
  stage?: string;
  status?: string;
  source?: string;
  /** Applied at most / at least this many days ago. */
  maxAgeDays?: number;
  minAgeDays?: number;
  limit?: number;
}

/**
 * Who may see which openings. `openingIds: null` sees every opening; a list limits every query of
 * this service to applications of those openings (per-opening hiring teams plug in here, and only
 * here: `applicationConditions` is the one place the filter is applied).
 */
export interface SearchScope {
  openingIds: string[] | null;
}
export const ALL_OPENINGS: SearchScope = { openingIds: null };

export interface CandidateHit {
  id: string;
  name: string;
  email: string;
  createdAt: Date;
  rank: number | null;
  applications: Array<{
    id: string;
    openingId: string;
    openingTitle: string;
    stage: string;
    stageName: string;
    status: string;
    source: { kind: string | null; detail: string | null; referrerId: string | null };
    appliedAt: Date;
  }>;
}

/** Matches ranked at most per search (see search()). */
export const RANK_CAP = 2000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES = ['active', 'rejected', 'withdrawn', 'hired'];

/**
 * Candidate search: PostgreSQL full text over name, e-mail, résumé text and notes
 * (`candidates.search_vector`, generated with unaccent, GIN-indexed), ranked with ts_rank
 * (name and e-mail weigh most, then the résumé, then notes), every word a prefix; with filters
 * on the candidate's applications (opening, stage, status, source, age).
 */
@Injectable()
export class CandidateSearchService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  static check(f: CandidateFilter): void {
    if (f.openingId && !UUID.test(f.openingId)) throw badRequest('openingId must be a UUID');
    if (f.status && !STATUSES.includes(f.status)) throw badRequest(`status must be one of ${STATUSES.join(', ')}`);
    if (f.q && f.q.length > 200) throw badRequest('q: at most 200 characters');
    for (const k of ['maxAgeDays', 'minAgeDays'] as const) {
      const v = f[k];
      if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 36500)) throw badRequest(`${k} must be a whole number of days`);
    }
    if (f.limit !== undefined && (!Number.isInteger(f.limit) || f.limit < 1 || f.limit > 500))
      throw badRequest('limit must be between 1 and 500');
  }

  /** The application filters and the access scope, as SQL on alias `a`; the one place scope is applied. */
  applicationConditions(f: CandidateFilter, scope: SearchScope, params: unknown[]): string[] {
    const add = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const c: string[] = [];
    if (scope.openingIds) c.push(`a.opening_id = ANY(${add(scope.openingIds)}::uuid[])`);
    if (f.openingId) c.push(`a.opening_id = ${add(f.openingId)}`);
    if (f.stage) c.push(`a.stage = ${add(f.stage)}`);
    if (f.status) c.push(`a.status = ${add(f.status)}`);
    if (f.source) c.push(`a.source_kind = ${add(f.source)}`);
    if (f.maxAgeDays !== undefined) c.push(`a.created_at >= now() - make_interval(days => ${add(f.maxAgeDays)}::int)`);
    if (f.minAgeDays !== undefined) c.push(`a.created_at < now() - make_interval(days => ${add(f.minAgeDays)}::int)`);
    return c;
  }

  private hasApplicationFilter(f: CandidateFilter, scope: SearchScope): boolean {
    return Boolean(
      scope.openingIds || f.openingId || f.stage || f.status || f.source || f.maxAgeDays !== undefined || f.minAgeDays !== undefined,
    );
  }

  async search(f: CandidateFilter, scope: SearchScope = ALL_OPENINGS): Promise<CandidateHit[]> {
    CandidateSearchService.check(f);
    const params: unknown[] = [];
    const where: string[] = ['c.anonymized_at IS NULL'];
    const tsq = toPrefixTsQuery(f.q);
    let rank = 'NULL::real';
    let from = 'candidates c';
    if (f.q !== undefined && f.q.trim() && !tsq) return [];
    if (tsq) {
      params.push(tsq);
      from = `candidates c, to_tsquery('simple', careers_unaccent($1)) query`;
      where.push('c.search_vector @@ query');
      rank = 'ts_rank(c.search_vector, query)';
    }
    // With an opening in the filter (or a team scope) the applications are few: start from them and
    // test only those candidates' vectors. The ids are collected into an array first so the join is
    // an index condition on candidates' primary key: as a join (even behind OFFSET 0) the planner
    // chose a hash join fed by a sequential scan that tested `@@` on every candidate's (TOASTed)
    // vector until 2,000 joined: 2.4 s for "python" on one opening of the 100,000-candidate bench
    // (EXPLAIN ANALYZE in docs/careers.md), 46 ms this way.
    const narrow = Boolean(tsq && (f.openingId || scope.openingIds));
    if (narrow) {
      where.push(
        `c.id = ANY(ARRAY(SELECT DISTINCT a.candidate_id FROM applications a WHERE ${this.applicationConditions(f, scope, params).join(' AND ')}))`,
      );
    } else if (this.hasApplicationFilter(f, scope)) {
      where.push(
        `EXISTS (SELECT 1 FROM applications a WHERE a.candidate_id = c.id AND ${this.applicationConditions(f, scope, params).join(' AND ')})`,
      );
    }
    params.push(f.limit ?? 100);
    let sql: string;
    if (tsq) {
      // Ranking reads each match's tsvector; a common word matches most résumés, so only the first
      // RANK_CAP matches (in index order) are ranked: exact below that, and a query that broad
      // wants more words or a filter anyway (bench/search measures both kinds).
      params.push(RANK_CAP);
      sql = `WITH m AS (SELECT c.id, c.name, c.email, c.created_at, c.search_vector FROM ${from} WHERE ${where.join(' AND ')} LIMIT $${params.length})
             SELECT m.id, m.name, m.email, m.created_at, ts_rank(m.search_vector, to_tsquery('simple', careers_unaccent($1))) AS rank
             FROM m ORDER BY rank DESC, m.created_at DESC, m.id LIMIT $${params.length - 1}`;
    } else {
      sql = `SELECT c.id, c.name, c.email, c.created_at, ${rank} AS rank FROM ${from} WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.id LIMIT $${params.length}`;
    }
    const rows: Array<{ id: string; name: string; email: string; created_at: Date; rank: number | null }> = await this.ds.query(
      sql,
      params,
    );
    if (!rows.length) return [];
    const appParams: unknown[] = [rows.map((r) => r.id)];
    const conds = ['a.candidate_id = ANY($1::uuid[])', ...this.applicationConditions(f, scope, appParams)];
    const apps: Array<{
      id: string;
      candidate_id: string;
      opening_id: string;
      opening_title: string;
      stage: string;
      status: string;
      source_kind: string | null;
      source_detail: string | null;
      referrer_id: string | null;
      created_at: Date;
      stage_name: string | null;
    }> = await this.ds.query(
      `SELECT a.id, a.candidate_id, a.opening_id, o.title AS opening_title, a.stage, a.status, a.source_kind, a.source_detail, a.referrer_id, a.created_at,
              (SELECT s->>'name' FROM jsonb_array_elements(o.stages) s WHERE s->>'key' = a.stage LIMIT 1) AS stage_name
       FROM applications a JOIN openings o ON o.id = a.opening_id WHERE ${conds.join(' AND ')} ORDER BY a.created_at DESC`,
      appParams,
    );
    const byCandidate = new Map<string, CandidateHit['applications']>();
    for (const a of apps) {
      const list = byCandidate.get(a.candidate_id) ?? [];
      list.push({
        id: a.id,
        openingId: a.opening_id,
        openingTitle: a.opening_title,
        stage: a.stage,
        stageName: a.stage_name ?? a.stage,
        status: a.status,
        source: { kind: a.source_kind, detail: a.source_detail, referrerId: a.referrer_id },
        appliedAt: a.created_at,
      });
      byCandidate.set(a.candidate_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      createdAt: r.created_at,
      rank: r.rank === null ? null : Number(r.rank),
      applications: byCandidate.get(r.id) ?? [],
    }));
  }
}
