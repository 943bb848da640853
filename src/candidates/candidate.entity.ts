import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const SOURCE_KINDS = ['referral', 'internship', 'partner', 'job_board', 'direct', 'other'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

@Entity('candidates')
export class Candidate {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() name: string;
  @Column() email: string;
  @Column() timezone: string;
  @Column({ type: 'text', nullable: true }) phone: string | null;
  @Column({ name: 'source_kind', type: 'text' }) sourceKind: SourceKind;
  @Column({ name: 'source_detail', type: 'text', nullable: true }) sourceDetail: string | null;
  @Column({ name: 'referrer_id', type: 'uuid', nullable: true }) referrerId: string | null;
  @Column({ name: 'public_code_url', type: 'text', nullable: true }) publicCodeUrl: string | null;
  @Column({ name: 'consent_at', type: 'timestamptz', nullable: true }) consentAt: Date | null;
  @Column({ name: 'anonymized_at', type: 'timestamptz', nullable: true }) anonymizedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
