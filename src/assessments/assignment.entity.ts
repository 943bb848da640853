import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { SandboxLimits } from '../sandbox';
import { CandidateSees, ResubmissionPolicy } from './domain/policy';

@Entity('assignments')
export class Assignment {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() title: string;
  @Column() runtime: string;
  /** Markdown; each version starts from it unless it brings its own. */
  @Column({ type: 'text' }) instructions: string;
  @Column({ name: 'time_guidance_minutes', type: 'int' }) timeGuidanceMinutes: number;
  @Column({ type: 'jsonb' }) limits: Partial<SandboxLimits>;
  @Column({ type: 'text' }) resubmission: ResubmissionPolicy;
  @Column({ name: 'candidate_sees', type: 'text' }) candidateSees: CandidateSees;
  @Column({ name: 'max_submission_bytes', type: 'int' }) maxSubmissionBytes: number;
  @Column({ name: 'invitation_days', type: 'int' }) invitationDays: number;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

export type VersionStatus = 'draft' | 'published';

/** One version of an assignment. Archives are bytea columns, never selected unless asked for. */
@Entity('assignment_versions')
export class AssignmentVersion {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'assignment_id', type: 'uuid' }) assignmentId: string;
  @Column({ type: 'int' }) version: number;
  @Column({ type: 'text' }) status: VersionStatus;
  @Column({ type: 'text' }) instructions: string;
  @Column({ name: 'time_guidance_minutes', type: 'int' }) timeGuidanceMinutes: number;
  @Column({ type: 'jsonb' }) limits: Partial<SandboxLimits>;
  @Column({ name: 'hidden_tests', type: 'bytea', select: false }) hiddenTests: Buffer;
  @Column({ name: 'hidden_tests_sha256', type: 'char', length: 64 }) hiddenTestsSha256: string;
  @Column({ name: 'hidden_test_paths', type: 'text', array: true }) hiddenTestPaths: string[];
  @Column({ type: 'bytea', nullable: true, select: false }) starter: Buffer | null;
  @Column({ name: 'starter_sha256', type: 'char', length: 64, nullable: true }) starterSha256: string | null;
  @Column({ name: 'reference_solution', type: 'bytea', select: false }) referenceSolution: Buffer;
  @Column({ name: 'reference_solution_sha256', type: 'char', length: 64 }) referenceSolutionSha256: string;
  /** Top-level names of the starter and reference (e.g. "src"): a submission's folder with such a name is kept. */
  @Column({ name: 'layout_top_level', type: 'text', array: true }) layoutTopLevel: string[];
  @Column({ name: 'publish_check', type: 'jsonb', nullable: true }) publishCheck: Record<string, unknown> | null;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt: Date | null;
  @Column({ name: 'published_by', type: 'uuid', nullable: true }) publishedBy: string | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
