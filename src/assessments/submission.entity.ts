import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { SandboxLimits } from '../sandbox';
import { SubmissionStatus } from './domain/candidate-view';
import type { IntegrityNote } from './domain/integrity-notes';

/** Counts of one set of tests. */
export interface TestTally {
  total: number;
  passed: number;
  /** Failures plus errors. */
  failed: number;
  errors: number;
  skipped: number;
}

export interface GradingResult {
  status: 'passed' | 'failed' | 'error' | 'timeout' | 'memory_exceeded' | 'output_exceeded';
  reason: string | null;
  /** total/passed/failed/errors/skipped count the hidden tests only (never the candidate's own). */
  total: number;
  passed: number;
  /** Tests that did not pass: failures plus errors. */
  failed: number;
  errors: number;
  skipped: number;
  /** hidden: from the hidden test archive; visible: one of its examples/ (names and messages shown to the candidate). */
  tests: Array<{
    name: string;
    status: 'passed' | 'failed' | 'error' | 'skipped';
    message: string | null;
    durationMs: number | null;
    suite: string | null;
    file: string | null;
    hidden: boolean;
    visible?: boolean;
  }>;
  durationMs: number;
  logs: string;
  logsTruncated: boolean;
  exitCode: number | null;
  imageId: string;
  imageTag: string;
  limits: SandboxLimits;
  droppedFiles: Array<{ path: string; reason: string }>;
  runId: string;
  /** The candidate's own tests, run apart without the hidden tests (null: the submission has none). */
  ownTests?:
    | (TestTally & {
        status: string;
        reason: string | null;
        tests: Array<{ name: string; status: string; message: string | null; file: string | null }>;
      })
    | null;
  /** Observations for the reviewer (report checks, test ids against the reference run, a scan of the submission). */
  integrity?: { tampered: boolean; notes: IntegrityNote[] };
}

/** One upload. Every upload is kept; each is graded once. The archive is never selected unless asked for. */
@Entity('submissions')
export class Submission {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'invitation_id', type: 'uuid' }) invitationId: string;
  @Column({ name: 'application_id', type: 'uuid' }) applicationId: string;
  @Column({ name: 'version_id', type: 'uuid' }) versionId: string;
  @Column({ type: 'int' }) seq: number;
  @Column({ type: 'text' }) status: SubmissionStatus;
  @Column({ type: 'bytea', select: false }) archive: Buffer;
  @Column({ type: 'char', length: 64 }) sha256: string;
  @Column({ name: 'size_bytes', type: 'int' }) sizeBytes: number;
  @Column({ type: 'text' }) format: string;
  @Column({ name: 'file_count', type: 'int' }) fileCount: number;
  @Column({ name: 'original_filename', type: 'text', nullable: true }) originalFilename: string | null;
  @Column({ name: 'idempotency_key', type: 'text', nullable: true }) idempotencyKey: string | null;
  @Column({ name: 'grading_run_id', type: 'uuid', nullable: true }) gradingRunId: string | null;
  @Column({ name: 'grading_started_at', type: 'timestamptz', nullable: true }) gradingStartedAt: Date | null;
  @Column({ name: 'lease_expires_at', type: 'timestamptz', nullable: true }) leaseExpiresAt: Date | null;
  @Column({ type: 'int' }) attempts: number;
  @Column({ type: 'jsonb', nullable: true }) result: GradingResult | null;
  @Column({ name: 'graded_at', type: 'timestamptz', nullable: true }) gradedAt: Date | null;
  @Column({ name: 'hooks_done_at', type: 'timestamptz', nullable: true }) hooksDoneAt: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('assignment_feedback')
export class AssignmentFeedback {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'invitation_id', type: 'uuid' }) invitationId: string;
  @Column({ name: 'version_id', type: 'uuid' }) versionId: string;
  @Column({ name: 'application_id', type: 'uuid' }) applicationId: string;
  @Column({ type: 'int' }) clarity: number;
  @Column({ name: 'minutes_spent', type: 'int' }) minutesSpent: number;
  @Column({ type: 'text' }) comments: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
