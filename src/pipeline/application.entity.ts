import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ApplicationStatus } from './domain/stages';

@Entity('applications')
export class Application {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'candidate_id', type: 'uuid' }) candidateId: string;
  @Column({ name: 'opening_id', type: 'uuid' }) openingId: string;
  @Column() stage: string;
  @Column({ type: 'text' }) status: ApplicationStatus;
  @Column({ name: 'stage_entered_at', type: 'timestamptz' }) stageEnteredAt: Date;
  @Column({ name: 'stage_visit', type: 'int' }) stageVisit: number;
  @Column({ name: 'last_contact_at', type: 'timestamptz', nullable: true }) lastContactAt: Date | null;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt: Date | null;
  @Column({ type: 'int' }) version: number;
  /** Where this application came from (careers page, tracked link, referral); null when staff added it. */
  @Column({ name: 'source_kind', type: 'text', nullable: true }) sourceKind: string | null;
  @Column({ name: 'source_detail', type: 'text', nullable: true }) sourceDetail: string | null;
  @Column({ name: 'referrer_id', type: 'uuid', nullable: true }) referrerId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

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

@Entity('exemptions')
export class Exemption {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'application_id', type: 'uuid' }) applicationId: string;
  @Column({ type: 'text' }) kind: 'public_code';
  @Column() url: string;
  @Column() reason: string;
  /** Language of the public code (the code review goes to an engineer who lists it). */
  @Column({ type: 'text', nullable: true }) language: string | null;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
