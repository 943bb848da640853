import { Injectable } from '@nestjs/common';
import { teamFilterSql } from '../identity/team-scope';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SOURCE_KINDS } from '../candidates/candidate.entity';
import { Clock } from '../common/clock/clock';
import { notFound } from '../common/errors/application.exception';

/**
 * Funnel and flow, computed in PostgreSQL (the rows never come to JavaScript).
 *
 * Stage visits are derived from the timeline: a visit starts at `application.created` (stage in
 * data.stage) or `stage.changed` (data.to), and ends at the application's next such event or at
 * its terminal event (`application.rejected|withdrawn|hired`), ordered by (at, id). Its outcome is
 * what ended it: advanced (a forward move or skip), moved_back (data.kind = 'back'), hired, rejected,
 * withdrew; or open when nothing ended it before the end of the window.
 *
 *  - funnel: the visits that STARTED in [from, to), counted as distinct applications per stage,
 *    with their outcome as of `to`; conversion = advanced (hired included) / entered.
 *  - flow: the visits that ENDED in [from, to): median, p90 (percentile_cont) and sample standard
 *    deviation (stddev_samp) of the business days spent in the stage, from the SQL function
 *    business_days_elapsed (migration 1763800500000: weekdays minus the opening's holidays, in the
 *    opening's time zone, fractional); SLA check-ins (`sla.checkin_sent`) and breaches
 *    (`sla.breached`) in the window, attributed to the stage visit they happened in; time to hire
 *    (application.created -> application.hired, business days) for hires in the window.
 * Both are grouped by stage and by candidate source (GROUPING SETS), optionally for one opening.
 */
export interface InsightsQuery {
  openingId?: string;
  /** A non-admin's user id: only the openings whose hiring team they are on count (null/absent: all). */
  viewer?: string | null;
  from?: Date;
  to?: Date;
}

export interface FunnelStage {
  key: string;
  name: string;
  entered: number;
  advanced: number;
  hired: number;
  rejected: number;
  withdrew: number;
  movedBack: number;
  open: number;
  conversion: number | null;
}

export interface FlowStage {
  key: string;
  name: string;
  visits: number;
  medianBusinessDays: number | null;
  p90BusinessDays: number | null;
  stddevBusinessDays: number | null;
  meanBusinessDays: number | null;
  checkins: number;
  breaches: number;
}

export interface TimeToHire {
  hires: number;
  medianBusinessDays: number | null;
  p90BusinessDays: number | null;
  meanBusinessDays: number | null;
}

const round = (v: unknown, digits = 3): number | null => {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  if (!Number.isFinite(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};
const int = (v: unknown) => Number(v ?? 0);

const TIMELINE_TYPES = `('application.created','stage.changed','application.rejected','application.withdrawn','application.hired')`;

/**
 * $1 opening id (or null), $3 the end of the window (outcomes after it are "open").
 * visits: application_id, source, tz, holidays, stage, entered_at, next_at, left_at, outcome.
 */
const SCOPE_CTE = `
  scope AS (
    SELECT a.id, c.source_kind AS source, o.timezone AS tz, o.holidays
      FROM applications a
      JOIN candidates c ON c.id = a.candidate_id
      JOIN openings o ON o.id = a.opening_id
     WHERE ($1::uuid IS NULL OR a.opening_id = $1::uuid)
       AND ($4::uuid IS NULL OR ${teamFilterSql('a.opening_id', '$4::uuid')})
  )`;

const VISITS_CTE = `${SCOPE_CTE},
  tl AS (
    SELECT e.application_id, e.id, e.at, e.type, e.data,
           lead(e.at) OVER w AS next_at, lead(e.type) OVER w AS next_type, lead(e.data) OVER w AS next_data
      FROM application_events e
     WHERE e.application_id IN (SELECT id FROM scope) AND e.type IN ${TIMELINE_TYPES}
    WINDOW w AS (PARTITION BY e.application_id ORDER BY e.at, e.id)
  ),
  visits AS (
    SELECT tl.application_id, s.source, s.tz, s.holidays,
           CASE WHEN tl.type = 'application.created' THEN tl.data->>'stage' ELSE tl.data->>'to' END AS stage,
           tl.at AS entered_at,
           tl.next_at,
           CASE WHEN tl.next_at < $3::timestamptz THEN tl.next_at END AS left_at,
           CASE WHEN tl.next_at IS NULL OR tl.next_at >= $3::timestamptz THEN 'open'
                WHEN tl.next_type = 'stage.changed' AND tl.next_data->>'kind' = 'back' THEN 'moved_back'
                WHEN tl.next_type = 'stage.changed' THEN 'advanced'
                WHEN tl.next_type = 'application.hired' THEN 'hired'
                WHEN tl.next_type = 'application.rejected' THEN 'rejected'
                ELSE 'withdrew' END AS outcome
      FROM tl JOIN scope s ON s.id = tl.application_id
     WHERE tl.type IN ('application.created', 'stage.changed')
  )`;

export interface AssignmentVersionInsight {
  assignmentId: string;
  title: string;
  version: number;
  versionId: string;
  invited: number;
  submitted: number;
  graded: number;
  passed: number;
  passRate: number | null;
  meanTestPassRatio: number | null;
  feedback: { count: number; meanClarity: number | null; medianMinutesSpent: number | null };
}

/** Tables of the take-home module the assignment breakdown reads (it is empty until they exist). */
const ASSESSMENT_TABLES = ['assignments', 'assignment_versions', 'invitations', 'submissions', 'assignment_feedback'];

@Injectable()
export class InsightsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  private async window(q: InsightsQuery) {
    if (q.openingId) {
      const found: unknown[] = await this.ds.query(`SELECT 1 FROM openings WHERE id = $1`, [q.openingId]);
      if (!found.length) throw notFound('Opening');
    }
    const to = q.to ?? this.clock.now();
    return { openingId: q.openingId ?? null, from: q.from ?? null, to, viewer: q.viewer ?? null };
  }

  /** Stage keys and names in pipeline order (the opening's, or the union over all openings). */
  private async stages(openingId: string | null): Promise<Array<{ key: string; name: string }>> {
    return this.ds.query(
      `SELECT x.def->>'key' AS key, (array_agg(x.def->>'name' ORDER BY o.created_at, o.id))[1] AS name
         FROM openings o CROSS JOIN LATERAL jsonb_array_elements(o.stages) WITH ORDINALITY AS x(def, i)
        WHERE ($1::uuid IS NULL OR o.id = $1::uuid)
        GROUP BY 1 ORDER BY min(x.i), 1`,
      [openingId],
    );
  }

  private ordered<T extends { key: string }>(
    stages: Array<{ key: string; name: string }>,
    rows: Map<string, T>,
    empty: (key: string, name: string) => T,
  ): T[] {
    const out = stages.map((s) => rows.get(s.key) ?? empty(s.key, s.name));
    for (const [key, row] of rows) if (!stages.some((s) => s.key === key)) out.push(row);
    return out;
  }

  async funnel(q: InsightsQuery) {
    const w = await this.window(q);
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `WITH ${VISITS_CTE}
       SELECT stage, source, GROUPING(stage) AS g_stage, GROUPING(source) AS g_source,
              count(DISTINCT application_id) AS entered,
              count(DISTINCT application_id) FILTER (WHERE outcome IN ('advanced', 'hired')) AS advanced,
              count(DISTINCT application_id) FILTER (WHERE outcome = 'hired') AS hired,
              count(DISTINCT application_id) FILTER (WHERE outcome = 'rejected') AS rejected,
              count(DISTINCT application_id) FILTER (WHERE outcome = 'withdrew') AS withdrew,
              count(DISTINCT application_id) FILTER (WHERE outcome = 'moved_back') AS moved_back,
              count(DISTINCT application_id) FILTER (WHERE outcome = 'open') AS open
         FROM visits
        WHERE entered_at >= coalesce($2::timestamptz, '-infinity'::timestamptz) AND entered_at < $3::timestamptz
        GROUP BY GROUPING SETS ((stage), (source, stage), (source), ())`,
      [w.openingId, w.from, w.to, w.viewer],
    );
    const stages = await this.stages(w.openingId);
    const toStage = (r: Record<string, unknown>, names: Map<string, string>): FunnelStage => {
      const entered = int(r.entered);
      const advanced = int(r.advanced);
      return {
        key: String(r.stage),
        name: names.get(String(r.stage)) ?? String(r.stage),
        entered,
        advanced,
        hired: int(r.hired),
        rejected: int(r.rejected),
        withdrew: int(r.withdrew),
        movedBack: int(r.moved_back),
        open: int(r.open),
        conversion: entered ? round(advanced / entered, 4) : null,
      };
    };
    const names = new Map(stages.map((s) => [s.key, s.name]));
    const empty = (key: string, name: string): FunnelStage => ({
      key,
      name,
      entered: 0,
      advanced: 0,
      hired: 0,
      rejected: 0,
      withdrew: 0,
      movedBack: 0,
      open: 0,
      conversion: null,
    });
    const totals = (r?: Record<string, unknown>) => {
      const entered = int(r?.entered);
      const hired = int(r?.hired);
      return {
        applications: entered,
        hired,
        rejected: int(r?.rejected),
        withdrew: int(r?.withdrew),
        hireRate: entered ? round(hired / entered, 4) : null,
      };
    };
    const byStage = new Map(
      rows.filter((r) => Number(r.g_stage) === 0 && Number(r.g_source) === 1).map((r) => [String(r.stage), toStage(r, names)]),
    );
    return {
      openingId: w.openingId,
      from: w.from,
      to: w.to,
      stages: this.ordered(stages, byStage, empty),
      totals: totals(rows.find((r) => Number(r.g_stage) === 1 && Number(r.g_source) === 1)),
      bySource: SOURCE_KINDS.map((source) => {
        const mine = rows.filter((r) => Number(r.g_source) === 0 && r.source === source);
        const stageRows = new Map(mine.filter((r) => Number(r.g_stage) === 0).map((r) => [String(r.stage), toStage(r, names)]));
        return { source, totals: totals(mine.find((r) => Number(r.g_stage) === 1)), stages: this.ordered(stages, stageRows, empty) };
      }),
    };
  }

  /**
   * Per take-home assignment version: invitations made in the window, how many were submitted and
   * graded, the pass rate (the latest graded submission of each invitation has result.status
   * 'passed'), the mean share of tests passed, and the candidates' feedback (clarity 1-5, minutes).
   */
  async assignments(q: InsightsQuery): Promise<{ available: boolean; versions: AssignmentVersionInsight[] }> {
    const w = await this.window(q);
    const [present]: Array<{ n: number }> = await this.ds.query(
      `SELECT count(*)::int AS n FROM unnest($1::text[]) AS t(name) WHERE to_regclass(current_schema() || '.' || t.name) IS NOT NULL`,
      [ASSESSMENT_TABLES],
    );
    if (present.n < ASSESSMENT_TABLES.length) return { available: false, versions: [] };
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `WITH inv AS (
         SELECT i.id, i.version_id
           FROM invitations i JOIN applications a ON a.id = i.application_id
          WHERE ($1::uuid IS NULL OR a.opening_id = $1::uuid)
            AND ($4::uuid IS NULL OR ${teamFilterSql('a.opening_id', '$4::uuid')})
            AND i.created_at >= coalesce($2::timestamptz, '-infinity'::timestamptz) AND i.created_at < $3::timestamptz
       ),
       latest AS (
         SELECT DISTINCT ON (s.invitation_id) s.invitation_id, s.result
           FROM submissions s JOIN inv ON inv.id = s.invitation_id
          WHERE s.status = 'graded'
          ORDER BY s.invitation_id, s.seq DESC
       ),
       per_version AS (
         SELECT inv.version_id,
                count(*) AS invited,
                count(*) FILTER (WHERE EXISTS (SELECT 1 FROM submissions s WHERE s.invitation_id = inv.id)) AS submitted,
                count(l.invitation_id) AS graded,
                count(l.invitation_id) FILTER (WHERE l.result->>'status' = 'passed') AS passed,
                -- Hidden tests only: results since issue 18 count nothing else (and a tampered run no
                -- passes); older ones also counted the candidate's own tests, so those are recounted.
                avg(CASE WHEN l.result ? 'integrity' OR jsonb_typeof(l.result->'tests') IS DISTINCT FROM 'array'
                         THEN (l.result->>'passed')::numeric / nullif((l.result->>'total')::numeric, 0)
                         ELSE (SELECT count(*) FILTER (WHERE t->>'status' = 'passed')::numeric / nullif(count(*), 0)
                                 FROM jsonb_array_elements(l.result->'tests') t WHERE coalesce((t->>'hidden')::boolean, true))
                    END) AS test_ratio
           FROM inv LEFT JOIN latest l ON l.invitation_id = inv.id
          GROUP BY inv.version_id
       ),
       fb AS (
         SELECT f.version_id, count(*) AS n, avg(f.clarity) AS clarity,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY f.minutes_spent) AS minutes
           FROM assignment_feedback f JOIN inv ON inv.id = f.invitation_id
          GROUP BY f.version_id
       )
       SELECT v.assignment_id, a.title, v.version, v.id AS version_id, p.invited, p.submitted, p.graded, p.passed, p.test_ratio,
              coalesce(fb.n, 0) AS feedback_count, fb.clarity, fb.minutes
         FROM per_version p
         JOIN assignment_versions v ON v.id = p.version_id
         JOIN assignments a ON a.id = v.assignment_id
         LEFT JOIN fb ON fb.version_id = p.version_id
        ORDER BY a.title, a.id, v.version`,
      [w.openingId, w.from, w.to, w.viewer],
    );
    return {
      available: true,
      versions: rows.map((r) => {
        const graded = int(r.graded);
        const passed = int(r.passed);
        return {
          assignmentId: String(r.assignment_id),
          title: String(r.title),
          version: int(r.version),
          versionId: String(r.version_id),
          invited: int(r.invited),
          submitted: int(r.submitted),
          graded,
          passed,
          passRate: graded ? round(passed / graded, 4) : null,
          meanTestPassRatio: round(r.test_ratio, 4),
          feedback: { count: int(r.feedback_count), meanClarity: round(r.clarity, 2), medianMinutesSpent: round(r.minutes, 1) },
        };
      }),
    };
  }

  async flow(q: InsightsQuery) {
    const w = await this.window(q);
    const params = [w.openingId, w.from, w.to, w.viewer];
    const inWindow = (col: string) => `${col} >= coalesce($2::timestamptz, '-infinity'::timestamptz) AND ${col} < $3::timestamptz`;
    const [durations, sla, hires, stages]: [
      Array<Record<string, unknown>>,
      Array<Record<string, unknown>>,
      Array<Record<string, unknown>>,
      Array<{ key: string; name: string }>,
    ] = await Promise.all([
      this.ds.query(
        `WITH ${VISITS_CTE},
         done AS (SELECT stage, source, business_days_elapsed(entered_at, left_at, tz, holidays) AS d FROM visits WHERE left_at IS NOT NULL AND ${inWindow('left_at')})
         SELECT stage, source, GROUPING(source) AS g_source, count(*) AS visits,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY d) AS p90,
                stddev_samp(d) AS stddev, avg(d) AS mean
           FROM done GROUP BY GROUPING SETS ((stage), (source, stage))`,
        params,
      ),
      this.ds.query(
        `WITH ${VISITS_CTE}
         SELECT v.stage, v.source, GROUPING(v.stage) AS g_stage, GROUPING(v.source) AS g_source,
                count(*) FILTER (WHERE e.type = 'sla.checkin_sent') AS checkins, count(*) FILTER (WHERE e.type = 'sla.breached') AS breaches
           FROM application_events e
           JOIN visits v ON v.application_id = e.application_id AND e.at >= v.entered_at AND (v.next_at IS NULL OR e.at < v.next_at)
          WHERE e.type IN ('sla.checkin_sent', 'sla.breached') AND ${inWindow('e.at')}
          GROUP BY GROUPING SETS ((v.stage), (v.source, v.stage), (v.source), ())`,
        params,
      ),
      this.ds.query(
        `WITH ${SCOPE_CTE},
         hires AS (
           SELECT s.source, business_days_elapsed(c.at, h.at, s.tz, s.holidays) AS d
             FROM application_events h
             JOIN scope s ON s.id = h.application_id
             JOIN application_events c ON c.application_id = h.application_id AND c.type = 'application.created'
            WHERE h.type = 'application.hired' AND ${inWindow('h.at')}
         )
         SELECT source, GROUPING(source) AS g_source, count(*) AS hires,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY d) AS p90, avg(d) AS mean
           FROM hires GROUP BY GROUPING SETS ((source), ())`,
        params,
      ),
      this.stages(w.openingId),
    ]);
    const names = new Map(stages.map((s) => [s.key, s.name]));
    const slaOf = (stage: string | null, source: string | null) =>
      sla.find(
        (r) =>
          (stage === null ? Number(r.g_stage) === 1 : Number(r.g_stage) === 0 && r.stage === stage) &&
          (source === null ? Number(r.g_source) === 1 : Number(r.g_source) === 0 && r.source === source),
      );
    const empty = (key: string, name: string): FlowStage => ({
      key,
      name,
      visits: 0,
      medianBusinessDays: null,
      p90BusinessDays: null,
      stddevBusinessDays: null,
      meanBusinessDays: null,
      checkins: 0,
      breaches: 0,
    });
    const stageRows = (source: string | null) => {
      const map = new Map<string, FlowStage>();
      for (const r of durations.filter((x) =>
        source === null ? Number(x.g_source) === 1 : Number(x.g_source) === 0 && x.source === source,
      )) {
        const key = String(r.stage);
        map.set(key, {
          ...empty(key, names.get(key) ?? key),
          visits: int(r.visits),
          medianBusinessDays: round(r.median),
          p90BusinessDays: round(r.p90),
          stddevBusinessDays: round(r.stddev),
          meanBusinessDays: round(r.mean),
        });
      }
      for (const r of sla.filter(
        (x) => Number(x.g_stage) === 0 && (source === null ? Number(x.g_source) === 1 : Number(x.g_source) === 0 && x.source === source),
      )) {
        const key = String(r.stage);
        if (!map.has(key)) map.set(key, empty(key, names.get(key) ?? key));
      }
      for (const [key, row] of map) {
        const s = slaOf(key, source);
        row.checkins = int(s?.checkins);
        row.breaches = int(s?.breaches);
      }
      return this.ordered(stages, map, empty);
    };
    const tth = (source: string | null): TimeToHire => {
      const r = hires.find((x) => (source === null ? Number(x.g_source) === 1 : Number(x.g_source) === 0 && x.source === source));
      return {
        hires: int(r?.hires),
        medianBusinessDays: round(r?.median),
        p90BusinessDays: round(r?.p90),
        meanBusinessDays: round(r?.mean),
      };
    };
    const slaTotals = (source: string | null) => {
      const s = slaOf(null, source);
      return { checkins: int(s?.checkins), breaches: int(s?.breaches) };
    };
    return {
      openingId: w.openingId,
      from: w.from,
      to: w.to,
      stages: stageRows(null),
      sla: slaTotals(null),
      timeToHire: tth(null),
      bySource: SOURCE_KINDS.map((source) => ({ source, stages: stageRows(source), sla: slaTotals(source), timeToHire: tth(source) })),
    };
  }
}
