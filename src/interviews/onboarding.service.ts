import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { badRequest, forbidden, notFound } from '../common/errors/application.exception';
import { Opening } from '../openings/opening.entity';
import { Actor, EventType } from '../timeline/timeline.entity';
import { Application } from '../pipeline/application.entity';
import { recordEvent } from '../timeline/timeline.repository';
import { Role } from '../identity/user.entity';
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
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Inside the hire transaction (the pipeline's application.closed hook). Idempotent: one plan per application. */
  async createForHire(
    m: EntityManager,
    ctx: { application: Application; opening: Opening; actor: Actor; now: Date },
  ): Promise<string | null> {
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
    const items = buildOnboardingPlan({
      startDate,
      template: DEFAULT_ONBOARDING_TEMPLATE,
      owners: { hiring_manager: opening.hiringManagerId },
      tz: opening.timezone,
    });
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
        planId,
        position,
        key: it.key,
        title: it.title,
        description: it.description,
        ownerRole: it.ownerRole,
        ownerId: it.ownerId,
        ownerFallback: it.ownerFallback,
        weekOffset: it.weekOffset,
        dueDate: it.dueDate,
        dueAt: it.dueAt,
      })),
    );
    await recordEvent(m, application.id, EventType.OnboardingPlanned, ctx.actor, now, {
      planId,
      startDate,
      ownerId: opening.hiringManagerId,
      items: items.length,
      lastDueDate: items[items.length - 1]?.dueDate,
    });
    return planId;
  }

  /** Is the user the plan's owner, its buddy or the owner of one of its items? */
  async isParticipant(applicationId: string, userId: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `SELECT 1 FROM onboarding_plans p
        WHERE p.application_id = $1 AND (p.owner_id = $2 OR p.buddy_id = $2 OR EXISTS (SELECT 1 FROM onboarding_items i WHERE i.plan_id = p.id AND i.owner_id = $2))
        LIMIT 1`,
      [applicationId, userId],
    );
    return rows.length > 0;
  }

  async get(applicationId: string) {
    const plan = await this.ds.getRepository(OnboardingPlan).findOne({ where: { applicationId } });
    if (!plan) throw await this.planNotFound(this.ds.manager, applicationId);
    const items = await this.ds.getRepository(OnboardingItem).find({ where: { planId: plan.id }, order: { position: 'ASC' } });
    const [owner]: Array<{ id: string; name: string }> = await this.ds.query(`SELECT id, name FROM users WHERE id = $1`, [plan.ownerId]);
    return {
      id: plan.id,
      applicationId,
      owner: owner ?? { id: plan.ownerId },
      ownerId: plan.ownerId,
      buddyId: plan.buddyId,
      startDate: plan.startDate,
      timezone: plan.timezone,
      weeks: 8,
      createdAt: plan.createdAt,
      items: items.map((i) => ({
        id: i.id,
        key: i.key,
        title: i.title,
        description: i.description,
        ownerRole: i.ownerRole,
        ownerId: i.ownerId,
        ownerFallback: i.ownerFallback,
        weekOffset: i.weekOffset,
        dueDate: i.dueDate,
        dueAt: i.dueAt,
        doneAt: i.doneAt,
        doneBy: i.doneBy,
      })),
    };
  }

  /**
   * The hiring manager names the buddy: every open buddy item moves to them (they were the
   * manager's while nobody was named), and "Assign a buddy" is ticked. Naming another buddy later
   * moves the open buddy items again; items already done keep who did them.
   */
  async assignBuddy(applicationId: string, buddyId: string, actor: { id: string; roles: Role[] }) {
    await this.ds.transaction(async (m) => {
      const plan = await this.lockPlan(m, applicationId);
      const [buddy]: Array<{ id: string; roles: Role[]; disabled_at: Date | null }> = await m.query(
        `SELECT id, roles, disabled_at FROM users WHERE id = $1`,
        [buddyId],
      );
      if (!buddy || buddy.disabled_at) throw badRequest('userId must name an active staff user to be the buddy');
      if (!actor.roles.includes(Role.Admin) && actor.id !== plan.ownerId)
        throw forbidden("Only the plan's owner (the hiring manager) or an administrator names the buddy");
      if (plan.buddyId === buddyId) return;
      const now = this.clock.now();
      await m.query(`UPDATE onboarding_plans SET buddy_id = $2 WHERE id = $1`, [plan.id, buddyId]);
      // TypeORM's postgres driver answers an UPDATE with [rows, rowCount].
      const [moved]: [unknown[], number] = await m.query(
        `UPDATE onboarding_items SET owner_id = $2, owner_fallback = false WHERE plan_id = $1 AND owner_role = 'buddy' AND done_at IS NULL RETURNING id`,
        [plan.id, buddyId],
      );
      await m.query(
        `UPDATE onboarding_items SET done_at = $2, done_by = $3 WHERE plan_id = $1 AND key = 'assign-buddy' AND done_at IS NULL`,
        [plan.id, now, actor.id],
      );
      await recordEvent(m, applicationId, EventType.OnboardingBuddyAssigned, { kind: 'user', id: actor.id }, now, {
        planId: plan.id,
        buddyId,
        previousBuddyId: plan.buddyId,
        itemsMoved: moved.length,
      });
    });
    return this.get(applicationId);
  }

  /** Tick an item off (or reopen it): its owner, the plan's owner or an administrator. Idempotent. */
  async setItemDone(applicationId: string, itemId: string, done: boolean, actor: { id: string; roles: Role[] }) {
    await this.ds.transaction(async (m) => {
      const plan = await this.lockPlan(m, applicationId);
      const item = await m.findOne(OnboardingItem, { where: { id: itemId, planId: plan.id } });
      if (!item) throw notFound('Onboarding item');
      if (!actor.roles.includes(Role.Admin) && actor.id !== plan.ownerId && actor.id !== item.ownerId) {
        throw forbidden("Only the item's owner, the plan's owner or an administrator can tick this item");
      }
      if (!!item.doneAt === done) return;
      const now = this.clock.now();
      await m.update(OnboardingItem, { id: item.id }, { doneAt: done ? now : null, doneBy: done ? actor.id : null });
      await recordEvent(
        m,
        applicationId,
        done ? EventType.OnboardingItemDone : EventType.OnboardingItemReopened,
        { kind: 'user', id: actor.id },
        now,
        {
          planId: plan.id,
          itemId: item.id,
          key: item.key,
          dueDate: item.dueDate,
          late: done && now.getTime() > new Date(item.dueAt).getTime(),
        },
      );
    });
    return this.get(applicationId);
  }

  private async lockPlan(m: EntityManager, applicationId: string): Promise<OnboardingPlan> {
    const plan = await m.findOne(OnboardingPlan, { where: { applicationId }, lock: { mode: 'pessimistic_write' } });
    if (plan) return plan;
    throw await this.planNotFound(m, applicationId);
  }

  /** 404 naming what is missing: the application, or only its plan (made on hire). */
  private async planNotFound(m: EntityManager, applicationId: string) {
    const exists: unknown[] = await m.query(`SELECT 1 FROM applications WHERE id = $1`, [applicationId]);
    return notFound(exists.length ? 'Onboarding plan (it is made when the candidate is hired)' : 'Application');
  }
}
