import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A candidate's take-home link. Only the SHA-256 of its token is stored. */
@Entity('invitations')
export class Invitation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'application_id', type: 'uuid' }) applicationId: string;
  @Column({ name: 'assignment_id', type: 'uuid' }) assignmentId: string;
  @Column({ name: 'version_id', type: 'uuid' }) versionId: string;
  @Column({ name: 'token_hash', type: 'char', length: 64, select: false }) tokenHash: string;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('attestations')
export class Attestation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'invitation_id', type: 'uuid' }) invitationId: string;
  @Column({ name: 'full_name' }) fullName: string;
  @Column({ type: 'text' }) statement: string;
  @Column({ name: 'signed_at', type: 'timestamptz' }) signedAt: Date;
  @Column({ type: 'text', nullable: true }) ip: string | null;
  @Column({ name: 'user_agent', type: 'text', nullable: true }) userAgent: string | null;
}
