import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

const numeric = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

export type InterviewStatus = 'scheduled' | 'cancelled';

/** One session of an application's interview loop (see domain/loop-rules.ts for the limits). */
@Entity('interview_sessions')
export class InterviewSession {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'application_id', type: 'uuid' }) applicationId: string;
  @Column() kind: string;
  @Column('uuid', { name: 'interviewer_ids', array: true }) interviewerIds: string[];
  @Column({ name: 'starts_at', type: 'timestamptz' }) startsAt: Date;
  @Column({ name: 'ends_at', type: 'timestamptz' }) endsAt: Date;
  @Column({ type: 'text' }) status: InterviewStatus;
  /** iCalendar SEQUENCE of the last message sent about this session (0 = first invitation). */
  @Column({ type: 'int' }) sequence: number;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true }) cancelledAt: Date | null;
  @Column({ name: 'cancelled_by', type: 'uuid', nullable: true }) cancelledBy: string | null;
  @Column({ name: 'cancel_reason', type: 'text', nullable: true }) cancelReason: string | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('interview_settings')
export class InterviewSetting {
  @PrimaryColumn() key: string;
  @Column({ type: 'jsonb' }) value: unknown;
  @Column({ name: 'updated_by', type: 'uuid', nullable: true }) updatedBy: string | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('offers')
export class Offer {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'application_id', type: 'uuid' }) applicationId: string;
  @Column({ type: 'numeric', transformer: numeric }) amount: number;
  @Column({ type: 'char', length: 3 }) currency: string;
  @Column({ name: 'start_date', type: 'date', nullable: true }) startDate: string | null;
  @Column() stage: string;
  @Column({ name: 'range_min', type: 'numeric', transformer: numeric }) rangeMin: number;
  @Column({ name: 'range_max', type: 'numeric', transformer: numeric }) rangeMax: number;
  @Column() overridden: boolean;
  @Column({ type: 'text', nullable: true }) outside: 'below_range' | 'above_range' | null;
  @Column({ name: 'override_reason', type: 'text', nullable: true }) overrideReason: string | null;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('onboarding_plans')
export class OnboardingPlan {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'application_id', type: 'uuid' }) applicationId: string;
  @Column({ name: 'owner_id', type: 'uuid' }) ownerId: string;
  @Column({ name: 'buddy_id', type: 'uuid', nullable: true }) buddyId: string | null;
  @Column({ name: 'start_date', type: 'date' }) startDate: string;
  @Column() timezone: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('onboarding_items')
export class OnboardingItem {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'plan_id', type: 'uuid' }) planId: string;
  @Column({ type: 'int' }) position: number;
  @Column() key: string;
  @Column() title: string;
  @Column() description: string;
  @Column({ name: 'owner_role', type: 'text' }) ownerRole: 'hiring_manager' | 'buddy';
  @Column({ name: 'owner_id', type: 'uuid' }) ownerId: string;
  @Column({ name: 'owner_fallback' }) ownerFallback: boolean;
  @Column({ name: 'week_offset', type: 'int' }) weekOffset: number;
  @Column({ name: 'due_date', type: 'date' }) dueDate: string;
  @Column({ name: 'due_at', type: 'timestamptz' }) dueAt: Date;
  @Column({ name: 'done_at', type: 'timestamptz', nullable: true }) doneAt: Date | null;
  @Column({ name: 'done_by', type: 'uuid', nullable: true }) doneBy: string | null;
}

export const INTERVIEW_ENTITIES = [InterviewSession, InterviewSetting, Offer, OnboardingPlan, OnboardingItem];
