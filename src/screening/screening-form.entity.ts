import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { LintIssue, ScreeningQuestion } from './domain';

const numeric = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/** One saved version of an opening's screening question bank (append-only). */
@Entity('screening_forms')
export class ScreeningFormVersion {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'opening_id', type: 'uuid' }) openingId: string;
  @Column({ type: 'int' }) version: number;
  @Column({ name: 'pass_threshold', type: 'numeric', transformer: numeric }) passThreshold: number;
  @Column({ type: 'jsonb' }) questions: ScreeningQuestion[];
  @Column({ type: 'jsonb' }) lint: LintIssue[];
  /** Null for the default bank seeded when the opening was created. */
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
