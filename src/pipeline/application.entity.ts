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
