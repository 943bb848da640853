import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { StageDefinition } from '../pipeline/domain/stages';

const numeric = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

@Entity('openings')
export class Opening {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() title: string;
  @Column({ name: 'hiring_manager_id', type: 'uuid' }) hiringManagerId: string;
  @Column({ name: 'recruiter_id', type: 'uuid' }) recruiterId: string;
  @Column({ name: 'compensation_min', type: 'numeric', transformer: numeric }) compensationMin: number;
  @Column({ name: 'compensation_max', type: 'numeric', transformer: numeric }) compensationMax: number;
  @Column({ name: 'compensation_currency', type: 'char', length: 3 }) compensationCurrency: string;
  @Column({ type: 'jsonb' }) stages: StageDefinition[];
  @Column({ name: 'auto_checkins' }) autoCheckins: boolean;
  @Column('text', { array: true }) holidays: string[];
  @Column() timezone: string;
  /** Business days within which a candidate's mail should be answered (src/inbox/reply-sla.service.ts). */
  @Column({ name: 'reply_sla_business_days', type: 'int', default: 1 }) replySlaBusinessDays: number;
  @Column({ name: 'review_duration_minutes', type: 'int' }) reviewDurationMinutes: number;
  @Column({ default: false }) published: boolean;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt: Date | null;
  /** Markdown, shown (sanitised) on the careers page. */
  @Column({ type: 'text', default: '' }) description: string;
  @Column({ type: 'text', nullable: true }) location: string | null;
  @Column({ default: false }) remote: boolean;
  @Column('text', { name: 'remote_time_zones', array: true, default: () => "'{}'" }) remoteTimeZones: string[];
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
