import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity('webhook_endpoints')
export class WebhookEndpoint {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() url: string;
  /** AES-256-GCM with a key derived from SESSION_SECRET (secret-box.ts); never returned by the API. */
  @Column({ name: 'secret_enc', select: false }) secretEnc: string;
  @Column('text', { array: true }) events: string[];
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column() enabled: boolean;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('platform_settings')
export class PlatformSetting {
  @PrimaryColumn() key: string;
  @Column({ type: 'jsonb' }) value: unknown;
  @Column({ name: 'updated_by', type: 'uuid', nullable: true }) updatedBy: string | null;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
