import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OutboxService } from '../communications/outbox.service';
import { OnTxHook, TxHooks } from '../common/events/event-bus';
import '../pipeline/pipeline.events';
import { CAREERS_CONFIG, CareersConfig } from './careers.config';
import './templates';

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

/**
 * Keeps the employee who referred a candidate informed, through the outbox: when the referred
 * person applies (`referral_received`), and when their application ends: thanked on a hire
 * (`referral_hired`), told plainly otherwise (`referral_closed`, no reasons). Each message has an
 * idempotency key per application, so a retry never sends two. Disabled referrers get nothing.
 */
@Injectable()
export class ReferralsService {
  constructor(
    private readonly outbox: OutboxService,
    @Inject(CAREERS_CONFIG) private readonly cfg: CareersConfig,
  ) {}

  /** When a referred person's application ends (inside its transaction): thanked on a hire, told plainly otherwise. */
  @OnTxHook('application.closed')
  async onClosed(
    m: EntityManager,
    { application, opening, candidate, action }: TxHooks['application.closed'],
  ): Promise<Array<string | null>> {
    if (!application.referrerId) return [];
    const template = action === 'hire' ? 'referral_hired' : 'referral_closed';
    return [
      await this.notify(m, template, {
        applicationId: application.id,
        referrerId: application.referrerId,
        candidateName: candidate.name,
        openingId: opening.id,
        openingTitle: opening.title,
      }),
    ];
  }

  /** Queues one message to the referrer in the caller's transaction; null when there is nobody to tell or it was sent. */
  async notify(
    m: EntityManager,
    template: 'referral_received' | 'referral_hired' | 'referral_closed',
    r: { applicationId: string; referrerId: string; candidateName: string; openingId: string; openingTitle: string },
  ): Promise<string | null> {
    const [referrer]: Array<{ id: string; name: string; email: string }> = await m.query(
      `SELECT id, name, email FROM users WHERE id = $1 AND disabled_at IS NULL`,
      [r.referrerId],
    );
    if (!referrer) return null;
    return this.outbox.queue(m, {
      idempotencyKey: `${template}:${r.applicationId}`,
      template,
      context: {
        person: { name: referrer.name, firstName: firstName(referrer.name) },
        candidate: { name: r.candidateName, firstName: firstName(r.candidateName) },
        opening: { title: r.openingTitle },
        company: { name: this.cfg.COMPANY_NAME },
        links: { status: null, privacy: null },
      },
      to: { address: referrer.email, name: referrer.name },
      recipientUserId: referrer.id,
      applicationId: r.applicationId,
      openingId: r.openingId,
    });
  }

  dispatch(ids: Array<string | null>): Promise<void> {
    return this.outbox.dispatch(ids);
  }
}
