import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { notFound } from '../common/errors/application.exception';
import { Opening } from '../openings/opening.entity';
import { assessCard, SlaState } from './domain/board';

export interface BoardCard {
  applicationId: string;
  candidateName: string;
  source: string;
  stageEnteredAt: Date;
  lastContactAt: Date | null;
  businessDaysInStage: number;
  sla: SlaState;
  slaLabel: string;
  deadline: 'contact' | 'stale';
  deadlineAt: Date;
}

const LABEL: Record<SlaState, string> = { ok: 'ok', due_soon: 'due soon', late: 'late' };

/** The hiring manager's board: a column per stage of one opening, a card per active application. */
@Injectable()
export class BoardService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async board(openingId: string, now: Date) {
    const opening = await this.ds.getRepository(Opening).findOne({ where: { id: openingId } });
    if (!opening) throw notFound('Opening');
    // Only the active applications of one opening: the cards themselves.
    const rows: Array<{
      id: string;
      stage: string;
      stage_entered_at: Date;
      last_contact_at: Date | null;
      name: string;
      timezone: string;
      source_kind: string;
    }> = await this.ds.query(
      `SELECT a.id, a.stage, a.stage_entered_at, a.last_contact_at, c.name, c.timezone, c.source_kind
         FROM applications a JOIN candidates c ON c.id = a.candidate_id
        WHERE a.opening_id = $1 AND a.status = 'active'
        ORDER BY a.stage_entered_at, a.id`,
      [openingId],
    );
    const columns = opening.stages.map((s) => ({
      key: s.key,
      name: s.name,
      contactSlaBusinessDays: s.contactSlaBusinessDays,
      staleAfterBusinessDays: s.staleAfterBusinessDays,
      cards: [] as BoardCard[],
    }));
    for (const r of rows) {
      const column = columns.find((c) => c.key === r.stage);
      if (!column) continue;
      const a = assessCard({
        now,
        stageEnteredAt: new Date(r.stage_entered_at),
        lastContactAt: r.last_contact_at ? new Date(r.last_contact_at) : null,
        candidateTz: r.timezone,
        openingTz: opening.timezone,
        holidays: opening.holidays,
        contactSlaBusinessDays: column.contactSlaBusinessDays,
        staleAfterBusinessDays: column.staleAfterBusinessDays,
      });
      column.cards.push({
        applicationId: r.id,
        candidateName: r.name,
        source: r.source_kind,
        stageEnteredAt: r.stage_entered_at,
        lastContactAt: r.last_contact_at,
        businessDaysInStage: a.businessDaysInStage,
        sla: a.state,
        slaLabel: LABEL[a.state],
        deadline: a.deadline,
        deadlineAt: a.deadlineAt,
      });
    }
    const counts = { ok: 0, due_soon: 0, late: 0 } as Record<SlaState, number>;
    for (const c of columns) for (const card of c.cards) counts[card.sla]++;
    return { opening, columns, counts, active: rows.length };
  }

  /** Open stale alerts about this opening addressed to the user (all of them for an admin). */
  async openAlerts(openingId: string, userId: string, isAdmin: boolean) {
    return this.ds.query(
      `SELECT al.id, al.level, al.message, al.application_id AS "applicationId", al.created_at AS "createdAt"
         FROM alerts al
        WHERE al.opening_id = $1 AND al.acknowledged_at IS NULL AND ($3 OR al.recipient_id = $2)
        ORDER BY al.created_at, al.id LIMIT 200`,
      [openingId, userId, isAdmin],
    ) as Promise<Array<{ id: string; level: string; message: string; applicationId: string | null; createdAt: Date }>>;
  }
}
