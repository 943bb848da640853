import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { notFound } from '../common/errors/application.exception';
import { Opening } from '../openings/opening.entity';
import { Actor, Application, EventType } from '../pipeline/application.entity';
import { recordEvent } from '../pipeline/timeline';
import { buildOnboardingPlan, DEFAULT_ONBOARDING_TEMPLATE, nextBusinessDay } from './domain';
import { OnboardingItem, OnboardingPlan } from './interview.entity';

/** Without a start date on the latest offer, the plan assumes a start two weeks after the hire (time off between jobs). */
export const DEFAULT_START_AFTER_DAYS = 14;

/**
 * Onboarding is not left to chance: on hire, a plan for the first eight weeks is made from the
 * template (checklist items with owners and due dates), owned by the opening's hiring manager.
 */
@Injectable()
export class OnboardingService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Inside the hire transaction (ApplicationsService.onTerminal). Idempotent: one plan per application. */
  async createForHire(m: EntityManager, ctx: { application: Application; opening: Opening; actor: Actor; now: Date }): Promise<string | null> {
    const { application, opening, now } = ctx;
    const [latest]: Array<{ start_date: string | null }> = await m.query(
      // The latest offer: its offer.made event has the highest id (several offers can share one instant).
      `SELECT to_char(o.start_date, 'YYYY-MM-DD') AS start_date
         FROM offers o JOIN application_events e ON e.application_id = o.application_id AND e.type = 'offer.made' AND e.data->>'offerId' = o.id::text
        WHERE o.application_id = $1 ORDER BY e.id DESC LIMIT 1`,
      [application.id],
    );
    const startDate = nextBusinessDay(
      latest?.start_date ?? DateTime.fromJSDate(now, { zone: opening.timezone }).plus({ days: DEFAULT_START_AFTER_DAYS }).toISODate()!,
    );
    const items = buildOnboardingPlan({ startDate, template: DEFAULT_ONBOARDING_TEMPLATE, owners: { hiring_manager: opening.hiringManagerId }, tz: opening.timezone });
    const inserted: Array<{ id: string }> = await m.query(
      `INSERT INTO onboarding_plans (application_id, owner_id, start_date, timezone, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (application_id) DO NOTHING RETURNING id`,
      [application.id, opening.hiringManagerId, startDate, opening.timezone, now],
    );
    if (!inserted.length) return null;
    const planId = inserted[0].id;
    await m.insert(
      OnboardingItem,
      items.map((it, position) => ({
        planId, position, key: it.key, title: it.title, description: it.description, ownerRole: it.ownerRole, ownerId: it.ownerId,
        ownerFallback: it.ownerFallback, weekOffset: it.weekOffset, dueDate: it.dueDate, dueAt: it.dueAt,
      })),
    );
    await recordEvent(m, application.id, EventType.OnboardingPlanned, ctx.actor, now, {
      planId, startDate, ownerId: opening.hiringManagerId, items: items.length, lastDueDate: items[items.length - 1]?.dueDate,
    });
    return planId;
  }

  async get(applicationId: string) {
    const plan = await this.ds.getRepository(OnboardingPlan).findOne({ where: { applicationId } });
    if (!plan) {
      const exists: unknown[] = await this.ds.query(`SELECT 1 FROM applications WHERE id = $1`, [applicationId]);
      throw notFound(exists.length ? 'Onboarding plan (it is made when the candidate is hired)' : 'Application');
    }
    const items = await this.ds.getRepository(OnboardingItem).find({ where: { planId: plan.id }, order: { position: 'ASC' } });
    const [owner]: Array<{ id: string; name: string }> = await this.ds.query(`SELECT id, name FROM users WHERE id = $1`, [plan.ownerId]);
    return {
      id: plan.id, applicationId, owner: owner ?? { id: plan.ownerId }, ownerId: plan.ownerId, startDate: plan.startDate, timezone: plan.timezone,
      weeks: 8, createdAt: plan.createdAt,
      items: items.map((i) => ({
        id: i.id, key: i.key, title: i.title, description: i.description, ownerRole: i.ownerRole, ownerId: i.ownerId, ownerFallback: i.ownerFallback,
        weekOffset: i.weekOffset, dueDate: i.dueDate, dueAt: i.dueAt, doneAt: i.doneAt,
      })),
    };
  }
}
