import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('review_sessions')
export class ReviewSession {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'dedupe_key' }) dedupeKey: string;
  @Column({ name: 'application_id', type: 'uuid' }) applicationId: string;
  @Column({ name: 'submission_id', type: 'uuid', nullable: true }) submissionId: string | null;
  @Column({ name: 'exemption_id', type: 'uuid', nullable: true }) exemptionId: string | null;
  @Column({ name: 'reviewer_id', type: 'uuid' }) reviewerId: string;
  @Column() language: string;
  @Column({ name: 'starts_at', type: 'timestamptz' }) startsAt: Date;
  @Column({ name: 'ends_at', type: 'timestamptz' }) endsAt: Date;
  @Column({ type: 'text' }) status: 'scheduled' | 'cancelled' | 'completed';
  @Column({ type: 'int' }) sequence: number;
  @Column({ type: 'text', nullable: true }) decision: 'advance' | 'reject' | null;
  @Column({ type: 'text', nullable: true }) notes: string | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('busy_blocks')
export class BusyBlock {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ name: 'starts_at', type: 'timestamptz' }) startsAt: Date;
  @Column({ name: 'ends_at', type: 'timestamptz' }) endsAt: Date;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
