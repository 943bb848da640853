import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { notFound } from '../common/errors/application.exception';
import { SettingsService } from '../integrations/settings.service';
import { readArchive } from '../sandbox/archive';
import { redactCandidateLinks } from '../communications/domain/redact-links';
import { discoverLinkedTables, quoteIdent as q } from './data-map';
import { expiresAtSql } from './retention';

/** Export keys of the known tables; any other linked table appears under `other.<table>`. */
const KEYS: Record<string, string> = {
  application_events: 'events',
  messages: 'messages',
  screening_sessions: 'screeningSessions',
  submissions: 'submissions',
  review_sessions: 'reviews',
  slot_offers: 'reviewTimeOffers',
  interview_sessions: 'interviews',
  offers: 'offers',
  exemptions: 'exemptions',
  alerts: 'alerts',
  invitations: 'invitations',
  attestations: 'attestations',
  assignment_feedback: 'assignmentFeedback',
  onboarding_plans: 'onboardingPlans',
  onboarding_items: 'onboardingItems',
  webhook_deliveries: 'webhookDeliveries',
  webhook_attempts: 'webhookAttempts',
  erasures: 'erasures',
  scorecards: 'scorecards',
  scorecard_versions: 'scorecardVersions',
};
/** Never exported: credentials and token hashes. */
const SECRET_COLUMN = /token|secret|password|_hash$/i;
const ORDER_COLUMNS = ['created_at', 'at', 'starts_at', 'id'];

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const camelRow = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [camel(k), v]));

/**
 * Right of access: everything stored about one candidate as JSON. Tables are found at run time
 * (data-map.ts), so tables added by later migrations are included without a code change.
 * Binary columns (archives) are described by their size; a submission also lists its files.
 */
@Injectable()
export class ExportService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
  ) {}

  async export(candidateId: string): Promise<Record<string, unknown>> {
    const { defaultMonths } = await this.settings.retention();
    const [candidate]: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT c.*, ${expiresAtSql(2)} AS kept_until FROM candidates c WHERE c.id = $1`,
      [candidateId, defaultMonths],
    );
    if (!candidate) throw notFound('Candidate');
    const applications: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT a.*, o.title AS opening_title FROM applications a JOIN openings o ON o.id = a.opening_id WHERE a.candidate_id = $1 ORDER BY a.created_at, a.id`,
      [candidateId],
    );
    const appIds = applications.map((a) => a.id as string);
    const keptUntil = candidate.kept_until;
    delete candidate.kept_until;
    const out: Record<string, unknown> = {
      exportedAt: this.clock.now().toISOString(),
      candidate: camelRow(candidate),
      retention: {
        keptUntil: (applications.some((a) => a.status === 'active') ? null : keptUntil) ?? null,
        rule: `${defaultMonths} months after the last application closed (or the opening's own period), renewed by consent; never while an application is active`,
      },
      applications: applications.map(camelRow),
    };
    for (const key of Object.values(KEYS)) out[key] = [];
    const other: Record<string, unknown[]> = {};
    const tables = await discoverLinkedTables(this.ds.manager);
    for (const t of tables) {
      const cols = t.columns.filter((c) => !SECRET_COLUMN.test(c.name));
      const select = cols.map((c) => (c.type === 'bytea' ? `octet_length(${q(c.name)}) AS ${q(`${c.name}_bytes`)}` : q(c.name)));
      if (!select.length) continue;
      const order = ORDER_COLUMNS.find((o) => cols.some((c) => c.name === o));
      const rows: Array<Record<string, unknown>> = await this.ds.query(
        `SELECT ${select.join(', ')} FROM ${q(t.table)} WHERE ${t.where}${order ? ` ORDER BY ${q(order)}` : ''} LIMIT 10000`,
        [candidateId, appIds],
      );
      if (t.table === 'submissions') for (const r of rows) r.files = await this.files(r.id as string);
      // The export is downloaded by staff: the candidate's own link secrets stay out of it.
      if (t.table === 'messages')
        for (const r of rows) for (const c of ['text', 'html']) if (typeof r[c] === 'string') r[c] = redactCandidateLinks(r[c] as string);
      const key = KEYS[t.table];
      if (key) out[key] = rows.map(camelRow);
      else if (rows.length) other[t.table] = rows.map(camelRow);
    }
    out.other = other;
    out.tables = tables.map((t) => t.table);
    return out;
  }

  /** The file list of an uploaded archive (paths and sizes, not contents). */
  private async files(submissionId: string): Promise<Array<{ path: string; bytes: number }> | null> {
    const [row]: Array<{ archive: Buffer | null }> = await this.ds.query(`SELECT archive FROM submissions WHERE id = $1`, [submissionId]);
    if (!row?.archive?.length) return [];
    try {
      const { files } = await readArchive(row.archive);
      return files.map((f) => ({ path: f.path, bytes: f.content.length }));
    } catch {
      return null;
    }
  }
}
