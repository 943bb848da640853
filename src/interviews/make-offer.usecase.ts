import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { ApplicationException, ErrorCode, badRequest, conflict, notFound } from '../common/errors/application.exception';
import { OutboxService } from '../communications/outbox.service';
import { Actor, EventType } from '../timeline/timeline.entity';
import { candidateMessageContext } from '../pipeline/message-context';
import { recordEvent } from '../timeline/timeline.repository';
import { decisionFor } from '../scorecards/decision';
import { checkOffer } from './domain';
import { Offer } from './interview.entity';
import { lockApplication, money } from './interview-context';

export interface MakeOfferInput {
  amount: number;
  currency: string;
  startDate?: string;
  override?: { reason: string };
  /** An administrator's reason to make the offer while the opening's decision rule does not hold. */
  decisionOverride?: { reason: string };
}

/**
 * Make an offer: within the opening's compensation range, or outside it only with an
 * administrator's override and a written reason (checkOffer). The offer row, its offer.made event
 * and the candidate's e-mail (template `offer`) commit together.
 */
@Injectable()
export class MakeOffer {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async execute(applicationId: string, input: MakeOfferInput, actor: Actor & { isAdmin: boolean }) {
    const { offer, messageId } = await this.ds.transaction(async (m) => {
      const { app, opening, candidate, recruiter } = await lockApplication(m, applicationId);
      if (app.status !== 'active') throw conflict(`The application is ${app.status}; offers are for active applications`);
      const now = this.clock.now();
      if (input.startDate !== undefined) {
        const d = DateTime.fromISO(input.startDate, { zone: opening.timezone });
        if (!d.isValid)
          throw badRequest('startDate is not a real calendar date', { fields: [{ field: 'startDate', errors: ['not a real date'] }] });
        const today = DateTime.fromJSDate(now, { zone: opening.timezone }).toISODate()!;
        if (input.startDate < today)
          throw badRequest(`startDate ${input.startDate} is in the past`, { fields: [{ field: 'startDate', errors: ['in the past'] }] });
      }
      const check = checkOffer({
        amount: input.amount,
        currency: input.currency,
        range: { min: opening.compensationMin, max: opening.compensationMax, currency: opening.compensationCurrency },
        override: input.override ? { byAdmin: actor.isAdmin, reason: input.override.reason } : null,
      });
      if (!check.ok) {
        throw new ApplicationException(ErrorCode.Unprocessable, check.message, {
          rule: check.rule,
          range: { min: opening.compensationMin, max: opening.compensationMax, currency: opening.compensationCurrency },
        });
      }
      // The decision rule gates every offer (the page and the API both come here), under the row
      // lock that filing a scorecard also takes.
      const decision = await decisionFor(m, applicationId);
      let decisionOverride: string | null = null;
      if (!decision.satisfied) {
        const refuse = (message: string, rule: string) =>
          new ApplicationException(ErrorCode.Unprocessable, message, { rule, decisionRule: decision.rule, decision });
        const why = `The opening's decision rule "${decision.ruleName}" (${decision.rule}) does not hold yet: ${decision.reason}`;
        if (!input.decisionOverride) throw refuse(`${why} An administrator may override it with a reason.`, decision.rule);
        if (!actor.isAdmin) throw refuse(`${why} Only an administrator can override the decision rule.`, 'decision_override_not_admin');
        decisionOverride = String(input.decisionOverride.reason ?? '').trim();
        if (!decisionOverride) throw refuse(`${why} Overriding it needs a written reason.`, 'decision_override_without_reason');
      }
      const currency = input.currency.trim().toUpperCase();
      const offer = await m.save(
        m.create(Offer, {
          applicationId,
          amount: input.amount,
          currency,
          startDate: input.startDate ?? null,
          stage: app.stage,
          rangeMin: opening.compensationMin,
          rangeMax: opening.compensationMax,
          overridden: check.overridden,
          outside: check.outside ?? null,
          overrideReason: check.overridden ? (check.overrideReason ?? null) : null,
          createdBy: actor.id!,
          createdAt: now,
        }),
      );
      await recordEvent(m, applicationId, EventType.OfferMade, actor, now, {
        offerId: offer.id,
        amount: offer.amount,
        currency,
        startDate: offer.startDate,
        stage: app.stage,
        overridden: offer.overridden,
        outside: offer.outside,
        overrideReason: offer.overrideReason,
        decisionRule: decision.rule,
        decisionSatisfied: decision.satisfied,
        decisionOverride,
      });
      if (decisionOverride !== null) {
        await recordEvent(m, applicationId, EventType.DecisionOverridden, actor, now, {
          offerId: offer.id,
          rule: decision.rule,
          reason: decisionOverride,
          decision: { reason: decision.reason, expected: decision.expected, filed: decision.filed, counts: decision.counts },
        });
      }
      const messageId = await this.outbox.queue(m, {
        idempotencyKey: `offer:${offer.id}`,
        template: 'offer',
        context: {
          ...candidateMessageContext(opening, candidate, app.stage, recruiter, publicUrl(this.env)),
          offer: {
            amount: offer.amount,
            currency,
            amountText: money(offer.amount, currency),
            startDate: offer.startDate,
            startDateText: offer.startDate ? DateTime.fromISO(offer.startDate).setLocale('en-GB').toFormat('cccc d LLLL yyyy') : null,
          },
        },
        to: { address: candidate.email, name: candidate.name },
        applicationId,
        candidateId: candidate.id,
        openingId: opening.id,
        actor: { kind: actor.kind, id: actor.id },
      });
      return { offer, messageId };
    });
    await this.outbox.dispatch([messageId]);
    return { ...offerDto(offer), messageId };
  }

  async list(applicationId: string) {
    const exists: unknown[] = await this.ds.query(`SELECT 1 FROM applications WHERE id = $1`, [applicationId]);
    if (!exists.length) throw notFound('Application');
    return (
      await this.ds
        .getRepository(Offer)
        .createQueryBuilder('o')
        .innerJoin(
          'application_events',
          'e',
          `e.application_id = o.application_id AND e.type = 'offer.made' AND e.data->>'offerId' = o.id::text`,
        )
        .where('o.application_id = :applicationId', { applicationId })
        .orderBy('e.id', 'ASC')
        .getMany()
    ).map(offerDto);
  }
}

export function offerDto(o: Offer) {
  return {
    id: o.id,
    applicationId: o.applicationId,
    amount: o.amount,
    currency: o.currency,
    startDate: o.startDate,
    stage: o.stage,
    range: { min: o.rangeMin, max: o.rangeMax, currency: o.currency },
    overridden: o.overridden,
    outside: o.outside,
    overrideReason: o.overrideReason,
    createdBy: o.createdBy,
    createdAt: o.createdAt,
  };
}
