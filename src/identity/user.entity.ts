import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum Role {
  Admin = 'admin',
  Recruiter = 'recruiter',
  HiringManager = 'hiring_manager',
  Engineer = 'engineer',
}
export const ALL_ROLES = Object.values(Role);

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() email: string;
  @Column() name: string;
  @Column({ name: 'password_hash', select: false }) passwordHash: string;
  @Column('text', { array: true }) roles: Role[];
  @Column({ default: 'UTC' }) timezone: string;
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true }) disabledAt: Date | null;
  /** `<issuer>#<subject>` of the OpenID provider account this user signs in with (single sign-on), or null. */
  @Column({ name: 'sso_subject', type: 'text', nullable: true, select: false }) ssoSubject: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

export interface WorkingHours {
  start: string;
  end: string;
  days: number[];
}

@Entity('reviewer_profiles')
export class ReviewerProfile {
  @Column({ name: 'user_id', type: 'uuid', primary: true }) userId: string;
  @Column('text', { array: true }) languages: string[];
  @Column() timezone: string;
  @Column({ name: 'working_hours', type: 'jsonb' }) workingHours: WorkingHours;
  /** The reviewer's own video-call link, the place of their code-review invitations. */
  @Column({ name: 'meeting_url', type: 'text', nullable: true }) meetingUrl: string | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

export enum TokenKind {
  ApiSession = 'api_session',
  WebSession = 'web_session',
  ApiToken = 'api_token',
}

@Entity('auth_tokens')
export class AuthToken {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ name: 'token_hash' }) tokenHash: string;
  @Column({ type: 'text' }) kind: TokenKind;
  @Column({ type: 'text', nullable: true }) name: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
}

@Entity('login_attempts')
export class LoginAttempt {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ type: 'timestamptz' }) at: Date;
  @Column() email: string;
  @Column() ip: string;
  @Column() success: boolean;
}
