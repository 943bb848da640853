import { DataSource } from 'typeorm';
import { MetricsService } from './metrics.service';

/** Openings with their own label; the rest are summed under opening="other" (bounded cardinality). */
export const MAX_LABELLED_OPENINGS = 50;

/**
 * Business gauges read from PostgreSQL at scrape time (so every API replica reports the same
 * numbers): active applications by opening and stage, SLA check-ins and breaches recorded, open
 * alerts, and gradings by status when the take-home module's `submissions` table exists.
 */
export function registerBusinessMetrics(metrics: MetricsService, ds: DataSource): void {
  const byStage = metrics.gauge(
    'hiring_applications_active',
    `Active applications by opening id and stage key (the ${MAX_LABELLED_OPENINGS} most recent open openings; others summed as opening="other")`,
    ['opening', 'stage'],
  );
  const byStatus = metrics.gauge('hiring_applications', 'Applications by status (active, hired, rejected, withdrawn)', ['status']);
  const sla = metrics.gauge('hiring_sla_events', 'SLA events recorded on timelines since the start (kind: checkin_sent, breached)', [
    'kind',
  ]);
  const alerts = metrics.gauge('hiring_alerts_open', 'Unacknowledged alerts by kind and level', ['kind', 'level']);
  const gradings = metrics.gauge('hiring_gradings', 'Take-home submissions by grading status (present once the submissions table exists)', [
    'status',
  ]);

  metrics.addCollector(async () => {
    const rows: Array<{ opening: string; stage: string; n: string }> = await ds.query(
      `WITH labelled AS (
         SELECT id FROM openings WHERE closed_at IS NULL ORDER BY created_at DESC, id LIMIT ${MAX_LABELLED_OPENINGS}
       )
       SELECT CASE WHEN l.id IS NULL THEN 'other' ELSE a.opening_id::text END AS opening, a.stage, count(*) AS n
         FROM applications a LEFT JOIN labelled l ON l.id = a.opening_id
        WHERE a.status = 'active'
        GROUP BY 1, 2`,
    );
    byStage.reset();
    for (const r of rows) byStage.set({ opening: r.opening, stage: r.stage }, Number(r.n));
  });
  metrics.addCollector(async () => {
    const rows: Array<{ status: string; n: string }> = await ds.query(`SELECT status, count(*) AS n FROM applications GROUP BY status`);
    byStatus.reset();
    for (const status of ['active', 'hired', 'rejected', 'withdrawn'])
      byStatus.set({ status }, Number(rows.find((r) => r.status === status)?.n ?? 0));
  });
  metrics.addCollector(async () => {
    const rows: Array<{ type: string; n: string }> = await ds.query(
      `SELECT type, count(*) AS n FROM application_events WHERE type IN ('sla.checkin_sent', 'sla.breached') GROUP BY type`,
    );
    sla.set({ kind: 'checkin_sent' }, Number(rows.find((r) => r.type === 'sla.checkin_sent')?.n ?? 0));
    sla.set({ kind: 'breached' }, Number(rows.find((r) => r.type === 'sla.breached')?.n ?? 0));
  });
  metrics.addCollector(async () => {
    const rows: Array<{ kind: string; level: string; n: string }> = await ds.query(
      `SELECT kind, level, count(*) AS n FROM alerts WHERE acknowledged_at IS NULL GROUP BY kind, level`,
    );
    alerts.reset();
    for (const r of rows) alerts.set({ kind: r.kind, level: r.level }, Number(r.n));
  });
  metrics.addCollector(async () => {
    // Guarded: the take-home module (submissions) may not be installed in this schema yet.
    const [has]: Array<{ ok: boolean }> = await ds.query(
      `SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'submissions' AND column_name = 'status') AS ok`,
    );
    gradings.reset();
    if (!has?.ok) return;
    const rows: Array<{ status: string; n: string }> = await ds.query(
      `SELECT status::text AS status, count(*) AS n FROM submissions GROUP BY 1`,
    );
    for (const r of rows) gradings.set({ status: r.status }, Number(r.n));
  });
}
