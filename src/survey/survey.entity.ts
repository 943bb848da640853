import { Column, Entity, PrimaryColumn } from 'typeorm';

export type SurveyOutcome = 'hired' | 'rejected' | 'withdrawn';
export type Informed = 'yes' | 'partly' | 'no';

/** One closed application's experience survey: sent when it closed, answered at most once (a new answer replaces it). */
@Entity('candidate_surveys')
export class CandidateSurvey {
  @PrimaryColumn({ name: 'application_id', type: 'uuid' }) applicationId: string;
  @Column({ name: 'candidate_id', type: 'uuid' }) candidateId: string;
  @Column({ name: 'opening_id', type: 'uuid' }) openingId: string;
  /** The stage key where the application ended. */
  @Column({ type: 'text' }) stage: string;
  @Column({ type: 'text' }) outcome: SurveyOutcome;
  @Column({ type: 'int', nullable: true }) score: number | null;
  @Column({ type: 'text', nullable: true }) informed: Informed | null;
  @Column({ type: 'text', nullable: true }) comment: string | null;
  @Column({ name: 'sent_at', type: 'timestamptz' }) sentAt: Date;
  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true }) answeredAt: Date | null;
  @Column({ name: 'updated_at', type: 'timestamptz', nullable: true }) updatedAt: Date | null;
}
