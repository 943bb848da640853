import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { INTEGRATIONS_CONFIG, IntegrationsConfig } from './integrations.config';

export const SETTING = {
  webhooksAllowPrivate: 'webhooks.allow_private',
  retentionDefaultMonths: 'retention.default_months',
} as const;

/** Admin settings kept in platform_settings, with the environment as default (or override). */
@Injectable()
export class SettingsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(INTEGRATIONS_CONFIG) private readonly cfg: IntegrationsConfig,
    private readonly clock: Clock,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const rows: Array<{ value: T }> = await this.ds.query(`SELECT value FROM platform_settings WHERE key = $1`, [key]);
    return rows[0]?.value;
  }

  async set(key: string, value: unknown, userId: string | null): Promise<void> {
    await this.ds.query(
      `INSERT INTO platform_settings (key, value, updated_by, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
      [key, JSON.stringify(value), userId, this.clock.now()],
    );
  }

  /** WEBHOOKS_ALLOW_PRIVATE=true allows private targets whatever the stored setting says. */
  async webhooks(): Promise<{ allowPrivateTargets: boolean; fromEnvironment: boolean }> {
    if (this.cfg.WEBHOOKS_ALLOW_PRIVATE) return { allowPrivateTargets: true, fromEnvironment: true };
    return { allowPrivateTargets: (await this.get<boolean>(SETTING.webhooksAllowPrivate)) === true, fromEnvironment: false };
  }

  async allowPrivateTargets(): Promise<boolean> {
    return (await this.webhooks()).allowPrivateTargets;
  }

  /** The stored setting, else RETENTION_MONTHS (default 24). Openings may set their own. */
  async retention(): Promise<{ defaultMonths: number; source: 'setting' | 'environment' }> {
    const stored = await this.get<number>(SETTING.retentionDefaultMonths);
    return typeof stored === 'number'
      ? { defaultMonths: stored, source: 'setting' }
      : { defaultMonths: this.cfg.RETENTION_MONTHS, source: 'environment' };
  }
}
