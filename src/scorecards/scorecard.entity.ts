import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Competency } from './domain/scorecard-template';
import type { DecisionRule, Recommendation } from './domain/decision-rule';

export type SessionKind = 'interview' | 'review';

/** An opening's scorecard settings (a missing row means the defaults, see domain/scorecard-template.ts). */
@Entity('scorecard_templates')
export class ScorecardTemplateRow {
  @PrimaryColumn({ name: 'opening_id', type: 'uuid' }) openingId: string;
  @Column({ type: 'jsonb' }) competencies: Competency[];
  @Column({ name: 'decision_rule', type: 'text' }) decisionRule: DecisionRule;
  @Column({ name: 'feedback_due_business_hours', type: 'int' }) feedbackDueBusinessHours: number;
  @Column({ name: 'anonymous_review' }) anonymousReview: boolean;
  @Column({ name: 'updated_by', type: 'uuid', nullable: true }) updatedBy: string | null;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** One person's scorecard for one interview or code review (the current version). */
@Entity('scorecards')
export class Scorecard {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'application_id', type: 'uuid' }) applicationId: string;
  @Column({ name: 'session_kind', type: 'text' }) sessionKind: SessionKind;
  @Column({ name: 'session_id', type: 'uuid' }) sessionId: string;
  @Column({ name: 'author_id', type: 'uuid' }) authorId: string;
  @Column({ type: 'jsonb' }) ratings: Array<{ competency: string; score: number }>;
  @Column({ type: 'text' }) recommendation: Recommendation;
  @Column({ type: 'text' }) notes: string;
  @Column({ type: 'int' }) version: number;
  @Column({ name: 'filed_at', type: 'timestamptz' }) filedAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** Every version ever filed, the first included (amendments keep their history). */
@Entity('scorecard_versions')
export class ScorecardVersion {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'scorecard_id', type: 'uuid' }) scorecardId: string;
  @Column({ type: 'int' }) version: number;
  @Column({ type: 'jsonb' }) ratings: Array<{ competency: string; score: number }>;
  @Column({ type: 'text' }) recommendation: Recommendation;
  @Column({ type: 'text' }) notes: string;
  @Column({ name: 'filed_at', type: 'timestamptz' }) filedAt: Date;
}

export const SCORECARD_ENTITIES = [ScorecardTemplateRow, Scorecard, ScorecardVersion];
