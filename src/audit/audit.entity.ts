import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One staff write (append-only; a trigger refuses UPDATE, DELETE and TRUNCATE). */
@Entity('audit_log')
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ type: 'timestamptz' }) at: Date;
  @Column({ name: 'actor_id', type: 'uuid', nullable: true }) actorId: string | null;
  @Column({ name: 'actor_kind', type: 'text' }) actorKind: string;
  @Column({ name: 'token_kind', type: 'text', nullable: true }) tokenKind: string | null;
  @Column({ name: 'token_id', type: 'uuid', nullable: true }) tokenId: string | null;
  @Column({ type: 'text', nullable: true }) via: string | null;
  @Column({ type: 'text' }) method: string;
  @Column({ type: 'text' }) route: string;
  @Column({ type: 'text' }) path: string;
  @Column({ name: 'entity_type', type: 'text', nullable: true }) entityType: string | null;
  @Column({ name: 'entity_id', type: 'text', nullable: true }) entityId: string | null;
  @Column({ name: 'response_id', type: 'text', nullable: true }) responseId: string | null;
  @Column({ name: 'status_code', type: 'int' }) statusCode: number;
  @Column({ type: 'text' }) outcome: 'succeeded' | 'failed';
  @Column({ name: 'request_id', type: 'text', nullable: true }) requestId: string | null;
  @Column({ type: 'text', nullable: true }) ip: string | null;
  @Column({ type: 'jsonb', nullable: true }) body: unknown;
  @Column({ type: 'jsonb', nullable: true }) changes: unknown;
  @Column({ type: 'text', nullable: true }) error: string | null;
}
