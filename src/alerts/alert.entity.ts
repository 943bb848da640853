import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AlertKind =
  | 'stale'
  | 'sla_breached'
  | 'review_unschedulable'
  | 'assignment_over_time'
  | 'nudge'
  | 'scorecard_late'
  | 'reply_overdue'
  | 'calendar_unreadable';

@Entity('alerts')
export class Alert {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text' }) kind: AlertKind;
  @Column({ name: 'dedupe_key' }) dedupeKey: string;
  @Column({ name: 'recipient_id', type: 'uuid' }) recipientId: string;
  @Column({ name: 'application_id', type: 'uuid', nullable: true }) applicationId: string | null;
  @Column({ name: 'opening_id', type: 'uuid', nullable: true }) openingId: string | null;
  @Column({ type: 'text', nullable: true }) stage: string | null;
  @Column({ type: 'text' }) level: 'raised' | 'escalated';
  @Column() message: string;
  @Column({ type: 'jsonb' }) data: Record<string, unknown>;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true }) escalatedAt: Date | null;
  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true }) acknowledgedAt: Date | null;
  @Column({ name: 'acknowledged_by', type: 'uuid', nullable: true }) acknowledgedBy: string | null;
}
