import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/*
 * The timeline's tables, owned by the timeline module: the append-only `application_events` and
 * the webhook outbox (`webhook_deliveries`, `webhook_attempts`), written with the event they
 * announce. Every statement on them is in timeline.repository.ts and webhook-deliveries.repository.ts.
 */

/** Typed event codes of the append-only timeline. */
export enum EventType {
  ApplicationCreated = 'application.created',
  StageChanged = 'stage.changed',
  ApplicationRejected = 'application.rejected',
  ApplicationWithdrawn = 'application.withdrawn',
  ApplicationHired = 'application.hired',
  ExemptionRecorded = 'exemption.recorded',
  NoteAdded = 'note.added',
  MessageQueued = 'message.queued',
  MessageSent = 'message.sent',
  MessageFailed = 'message.failed',
  /** A candidate's reply read from the team mailbox (src/inbox). */
  MessageReceived = 'message.received',
  SlaCheckinSent = 'sla.checkin_sent',
  SlaBreached = 'sla.breached',
  AlertRaised = 'alert.raised',
  AlertEscalated = 'alert.escalated',
  AlertAcknowledged = 'alert.acknowledged',
  ScreeningCompleted = 'screening.completed',
  InvitationSent = 'invitation.sent',
  InvitationExtended = 'invitation.extended',
  AttestationSigned = 'attestation.signed',
  SubmissionReceived = 'submission.received',
  SubmissionGraded = 'submission.graded',
  FeedbackReceived = 'feedback.received',
  ReviewScheduled = 'review.scheduled',
  ReviewUnschedulable = 'review.unschedulable',
  ReviewCompleted = 'review.completed',
  InterviewScheduled = 'interview.scheduled',
  InterviewCancelled = 'interview.cancelled',
  OfferMade = 'offer.made',
  OnboardingPlanned = 'onboarding.planned',
  OnboardingBuddyAssigned = 'onboarding.buddy_assigned',
  OnboardingItemDone = 'onboarding.item_done',
  OnboardingItemReopened = 'onboarding.item_reopened',
  ScorecardFiled = 'scorecard.filed',
  ScorecardAmended = 'scorecard.amended',
  DecisionOverridden = 'decision.overridden',
}

export type ActorKind = 'user' | 'system' | 'candidate';
export interface Actor {
  kind: ActorKind;
  id?: string | null;
}
export const SYSTEM: Actor = { kind: 'system' };

@Entity('application_events')
export class ApplicationEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'application_id', type: 'uuid' }) applicationId: string;
  @Column({ type: 'text' }) type: EventType;
  @Column({ type: 'timestamptz' }) at: Date;
  @Column({ name: 'actor_kind', type: 'text' }) actorKind: ActorKind;
  @Column({ name: 'actor_id', type: 'uuid', nullable: true }) actorId: string | null;
  @Column({ type: 'jsonb' }) data: Record<string, unknown>;
}

export type DeliveryStatus = 'pending' | 'delivering' | 'succeeded' | 'failed';

/** The webhook outbox: one row per (event, subscribed endpoint), written with the event. */
@Entity('webhook_deliveries')
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'endpoint_id', type: 'uuid' }) endpointId: string;
  @Column({ name: 'event_id', type: 'bigint', nullable: true }) eventId: string | null;
  @Column({ name: 'application_id', type: 'uuid', nullable: true }) applicationId: string | null;
  @Column({ name: 'event_type', type: 'text' }) eventType: string;
  @Column({ type: 'jsonb' }) payload: { id: string; type: string; occurredAt: string; data: Record<string, unknown> };
  @Column({ type: 'text' }) status: DeliveryStatus;
  @Column({ type: 'int' }) attempts: number;
  @Column({ name: 'next_attempt_at', type: 'timestamptz' }) nextAttemptAt: Date;
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true }) lockedUntil: Date | null;
  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true }) lastAttemptAt: Date | null;
  @Column({ name: 'last_status_code', type: 'int', nullable: true }) lastStatusCode: number | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true }) deliveredAt: Date | null;
  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true }) failedAt: Date | null;
  @Column({ name: 'redelivery_of', type: 'uuid', nullable: true }) redeliveryOf: string | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('webhook_attempts')
export class WebhookAttempt {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'delivery_id', type: 'uuid' }) deliveryId: string;
  @Column({ type: 'int' }) attempt: number;
  @Column({ type: 'timestamptz' }) at: Date;
  @Column({ name: 'status_code', type: 'int', nullable: true }) statusCode: number | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ name: 'duration_ms', type: 'int' }) durationMs: number;
  @Column({ name: 'response_excerpt', type: 'text', nullable: true }) responseExcerpt: string | null;
}
