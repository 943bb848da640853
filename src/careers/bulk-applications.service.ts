import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { once } from 'node:events';
import { DataSource } from 'typeorm';
import { Candidate } from '../candidates/candidate.entity';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { ApplicationException, badRequest, notFound } from '../common/errors/application.exception';
import { OutboxService } from '../communications/outbox.service';
import { registerTemplate } from '../communications/template-registry';
import { User } from '../identity/user.entity';
import { Opening } from '../openings/opening.entity';
import { Actor } from '../timeline/timeline.entity';
import { Application } from '../pipeline/application.entity';
import { ApplicationsService } from '../pipeline/applications.service';
import { candidateMessageContext } from '../pipeline/message-context';
import { ALL_OPENINGS, SearchScope } from '../candidates/candidate-search.service';
import { describeSource } from './domain/application-source';

registerTemplate('team_note', {
  audience: 'candidate',
  description: 'A message written by the team (sent to a selection of candidates at once)',
  sample: {
    candidate: { name: 'Ada Lovelace', firstName: 'Ada' },
    opening: { title: 'Backend Engineer' },
    recruiter: { name: 'Rita Recruiter', email: 'rita@example.com' },
    message: 'We are running a little late this week.',
  },
});

export type BulkAction = 'move' | 'reject' | 'message';
export interface BulkResult {
  id: string;
  ok: boolean;
  status?: string;
  stage?: string;
  error?: string;
}

/** Spreadsheet formula injection: a cell starting with = + - @ (or a tab/CR) is prefixed with ' so it stays text. */
const cell = (v: unknown) => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

const STATUS_WORDS: Record<string, string> = { active: 'Active', rejected: 'Rejected', withdrawn: 'Withdrawn', hired: 'Hired' };

/**
 * Acting on a selection of applications, one at a time through the same use cases as a single
 * action (so each candidate gets exactly the one message that action sends), and the CSV export.
 */
@Injectable()
export class BulkApplicationsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly apps: ApplicationsService,
    private readonly outbox: OutboxService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async run(
    input: { ids: string[]; action: BulkAction; to?: string; reason?: string; text?: string },
    actor: Actor,
    scope: SearchScope = ALL_OPENINGS,
  ): Promise<{ results: BulkResult[]; succeeded: number; failed: number }> {
    if (input.action === 'move' && !input.to) throw badRequest('to: the stage to move the applications to is required for "move"');
    if (input.action === 'reject' && !input.reason?.trim()) throw badRequest('reason: an internal reason is required for "reject"');
    if (input.action === 'message' && !input.text?.trim()) throw badRequest('text: the message to send is required for "message"');
    const batch = randomUUID();
    const results: BulkResult[] = [];
    for (const id of [...new Set(input.ids)]) {
      try {
        if (scope.openingIds) {
          const a = await this.apps.get(id);
          if (!scope.openingIds.includes(a.openingId)) throw notFound('Application');
        }
        let app: Application;
        if (input.action === 'move') app = await this.apps.transition(id, input.to!, undefined, actor);
        else if (input.action === 'reject') app = await this.apps.terminal(id, 'reject', { reason: input.reason!.trim() }, actor);
        else app = await this.message(id, input.text!.trim(), batch, actor);
        results.push({ id, ok: true, status: app.status, stage: app.stage });
      } catch (e) {
        if (!(e instanceof ApplicationException)) throw e;
        results.push({ id, ok: false, error: e.message });
      }
    }
    return { results, succeeded: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length };
  }

  /** One message to the candidate of an application, through the outbox (once per application per batch). */
  private async message(id: string, text: string, batch: string, actor: Actor): Promise<Application> {
    const { app, messageId } = await this.ds.transaction(async (m) => {
      const app = await m.findOne(Application, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!app) throw notFound('Application');
      const [opening, candidate] = await Promise.all([
        m.findOneOrFail(Opening, { where: { id: app.openingId } }),
        m.findOneOrFail(Candidate, { where: { id: app.candidateId } }),
      ]);
      if (candidate.anonymizedAt) throw badRequest('This candidate asked for their data to be erased');
      const recruiter = await m.findOneOrFail(User, { where: { id: opening.recruiterId } });
      const messageId = await this.outbox.queue(m, {
        idempotencyKey: `team-note:${app.id}:${batch}`,
        template: 'team_note',
        context: { ...candidateMessageContext(opening, candidate, app.stage, recruiter, publicUrl(this.env)), message: text },
        to: { address: candidate.email, name: candidate.name },
        applicationId: app.id,
        candidateId: candidate.id,
        openingId: opening.id,
        actor,
      });
      return { app, messageId };
    });
    await this.outbox.dispatch([messageId]);
    return app;
  }

  /**
   * Streams the filtered applications as CSV (csv-stringify), reading 1,000 rows at a time by id
   * (keyset) and waiting for the client to take each page, so memory stays flat.
   */
  async exportCsv(
    filter: { openingId?: string; stage?: string; status?: string; source?: string },
    out: Writable,
    scope: SearchScope = ALL_OPENINGS,
  ): Promise<void> {
    const csv = stringify({
      header: true,
      columns: ['Name', 'Email', 'Opening', 'Stage', 'Status', 'Source', 'Applied at (UTC)', 'Time zone', 'Application id'],
    });
    csv.pipe(out);
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const params: unknown[] = [after];
      const add = (v: unknown) => (params.push(v), `$${params.length}`);
      const where = ['a.id > $1', 'c.anonymized_at IS NULL'];
      if (scope.openingIds) where.push(`a.opening_id = ANY(${add(scope.openingIds)}::uuid[])`);
      if (filter.openingId) where.push(`a.opening_id = ${add(filter.openingId)}`);
      if (filter.stage) where.push(`a.stage = ${add(filter.stage)}`);
      if (filter.status) where.push(`a.status = ${add(filter.status)}`);
      if (filter.source) where.push(`a.source_kind = ${add(filter.source)}`);
      const rows: Array<{
        id: string;
        name: string;
        email: string;
        timezone: string;
        title: string;
        stage: string;
        status: string;
        source_kind: string | null;
        source_detail: string | null;
        created_at: Date;
        stage_name: string | null;
      }> = await this.ds.query(
        `SELECT a.id, c.name, c.email, c.timezone, o.title, a.stage, a.status, a.source_kind, a.source_detail, a.created_at,
                (SELECT s->>'name' FROM jsonb_array_elements(o.stages) s WHERE s->>'key' = a.stage LIMIT 1) AS stage_name
         FROM applications a JOIN candidates c ON c.id = a.candidate_id JOIN openings o ON o.id = a.opening_id
         WHERE ${where.join(' AND ')} ORDER BY a.id LIMIT 1000`,
        params,
      );
      for (const r of rows) {
        const ok = csv.write([
          cell(r.name),
          cell(r.email),
          cell(r.title),
          r.stage_name ?? r.stage,
          STATUS_WORDS[r.status] ?? r.status,
          describeSource(r.source_kind, r.source_detail),
          new Date(r.created_at).toISOString().replace('T', ' ').slice(0, 16),
          r.timezone,
          r.id,
        ]);
        if (!ok) await once(csv, 'drain');
      }
      if (rows.length < 1000) break;
      after = rows[rows.length - 1].id;
    }
    csv.end();
    await once(out, 'finish').catch(() => undefined);
  }
}
