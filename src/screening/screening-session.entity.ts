import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

const numeric = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/** One answer as heard on the call: verbatim, with the automatic verdict and any override. */
export interface StoredScreeningAnswer {
  questionId: string;
  /** The prompt as read from the pinned form version. */
  prompt: string;
  /** What the candidate said, exactly as typed by the recruiter. */
  given: string;
  automatic: boolean;
  override: boolean | null;
  note: string | null;
  /** override ?? automatic: the verdict that counted. */
  final: boolean;
  knockout: boolean;
  weight: number;
  matchedAgainst: string | null;
}

/** The article's first-contact checklist. */
export interface ScreeningChecklist {
  processExplained: boolean;
  compensationDiscussed: boolean;
  /** "What would you like to be doing in your next job?" */
  nextJobAnswer: string | null;
}

export type ScreeningSessionOutcome = 'advanced' | 'rejected';

@Entity('screening_sessions')
export class ScreeningSession {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'application_id', type: 'uuid' }) applicationId: string;
  /** The exact form version used (pinned). */
  @Column({ name: 'form_id', type: 'uuid' }) formId: string;
  @Column({ name: 'form_version', type: 'int' }) formVersion: number;
  @Column({ type: 'numeric', transformer: numeric }) score: number;
  @Column() passed: boolean;
  @Column({ name: 'knockout_failed' }) knockoutFailed: boolean;
  @Column('text', { name: 'failed_knockouts', array: true }) failedKnockouts: string[];
  @Column({ type: 'jsonb' }) answers: StoredScreeningAnswer[];
  @Column({ type: 'jsonb' }) checklist: ScreeningChecklist;
  @Column({ type: 'text', nullable: true }) outcome: ScreeningSessionOutcome | null;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
