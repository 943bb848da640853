import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type MessageStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';
export interface MessageAttachment {
  filename: string;
  contentType: string;
  content: string; // utf-8 text (ICS) or base64 when encoding is set
  encoding?: 'base64';
  method?: string; // for text/calendar parts
}

/** The outbox: written in the same transaction as the change that causes it. */
@Entity('messages')
export class Message {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'idempotency_key' }) idempotencyKey: string;
  @Column({ name: 'application_id', type: 'uuid', nullable: true }) applicationId: string | null;
  @Column({ name: 'candidate_id', type: 'uuid', nullable: true }) candidateId: string | null;
  @Column({ name: 'recipient_user_id', type: 'uuid', nullable: true }) recipientUserId: string | null;
  @Column({ name: 'to_address' }) toAddress: string;
  @Column({ name: 'to_name', type: 'text', nullable: true }) toName: string | null;
  @Column() template: string;
  @Column() subject: string;
  @Column() html: string;
  @Column() text: string;
  /** The link secrets taken out of html/text, sealed (domain/message-secrets.ts); null when none. */
  @Column({ name: 'secrets_enc', type: 'text', nullable: true }) secretsEnc: string | null;
  @Column({ type: 'jsonb' }) attachments: MessageAttachment[];
  /** A reply's threading headers (the candidate's Message-ID and the chain before it); null otherwise. */
  @Column({ name: 'in_reply_to', type: 'text', nullable: true }) inReplyTo: string | null;
  @Column({ name: 'references', type: 'text', nullable: true }) references: string | null;
  @Column({ type: 'text' }) status: MessageStatus;
  @Column({ type: 'int' }) attempts: number;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt: Date | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('message_templates')
export class MessageTemplate {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'opening_id', type: 'uuid', nullable: true }) openingId: string | null;
  @Column() key: string;
  @Column() subject: string;
  @Column() html: string;
  @Column() text: string;
  @Column({ name: 'updated_by', type: 'uuid', nullable: true }) updatedBy: string | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
