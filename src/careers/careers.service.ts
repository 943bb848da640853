import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { renderMarkdown } from '../assessments/domain/markdown';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { notFound } from '../common/errors/application.exception';
import { SettingsService } from '../integrations/settings.service';
import { StageDefinition } from '../pipeline/domain/stages';
import { CAREERS_CONFIG, CareersConfig } from './careers.config';

export interface PublicOpening {
  id: string;
  title: string;
  location: string | null;
  remote: boolean;
  remoteTimeZones: string[];
  pay: { min: number; max: number; currency: string; text: string };
  publishedAt: Date | null;
}

export interface PublicOpeningDetail extends PublicOpening {
  descriptionMarkdown: string;
  descriptionHtml: string;
  stages: Array<{ number: number; name: string; description: string }>;
  retentionMonths: number;
}

const formats = new Map<string, Intl.NumberFormat>();
export function payText(min: number, max: number, currency: string): string {
  let f = formats.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 0 });
    } catch {
      return `${currency} ${min} – ${max}`;
    }
    if (formats.size < 500) formats.set(currency, f);
  }
  return `${f.format(min)} – ${f.format(max)}`;
}

/** Reads of the public careers pages: only published, open openings, never anything internal. */
@Injectable()
export class CareersService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CAREERS_CONFIG) readonly cfg: CareersConfig,
    private readonly settings: SettingsService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  get baseUrl(): string {
    return publicUrl(this.env).replace(/\/+$/, '');
  }

  async list(filter: { location?: string; remote?: boolean } = {}): Promise<PublicOpening[]> {
    const params: unknown[] = [];
    let where = `published AND closed_at IS NULL`;
    if (filter.location) {
      params.push(filter.location);
      where += ` AND lower(location) = lower($${params.length})`;
    }
    if (filter.remote) where += ` AND remote`;
    const rows = await this.ds.query(
      `SELECT id, title, location, remote, remote_time_zones, compensation_min, compensation_max, compensation_currency, published_at
       FROM openings WHERE ${where} ORDER BY published_at DESC NULLS LAST, title LIMIT 500`,
      params,
    );
    return rows.map(toPublic);
  }

  /** Distinct locations of published openings, for the filter. */
  async locations(): Promise<string[]> {
    const rows: Array<{ location: string }> = await this.ds.query(
      `SELECT DISTINCT location FROM openings WHERE published AND closed_at IS NULL AND location IS NOT NULL ORDER BY location`,
    );
    return rows.map((r) => r.location);
  }

  async get(id: string): Promise<PublicOpeningDetail> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw notFound('Opening');
    const [row] = await this.ds.query(
      `SELECT id, title, location, remote, remote_time_zones, compensation_min, compensation_max, compensation_currency, published_at, description, stages, retention_months
       FROM openings WHERE id = $1 AND published AND closed_at IS NULL`,
      [id],
    );
    if (!row) throw notFound('Opening');
    const stages = (row.stages as StageDefinition[]).map((s, i) => ({ number: i + 1, name: s.name, description: s.description }));
    return {
      ...toPublic(row),
      descriptionMarkdown: row.description ?? '',
      descriptionHtml: renderMarkdown(row.description ?? ''),
      stages,
      retentionMonths: row.retention_months ?? (await this.settings.retention()).defaultMonths,
    };
  }
}

/** The openings columns the public list and page read (raw SQL; numeric columns arrive as text). */
interface PublicOpeningRow {
  id: string;
  title: string;
  location: string | null;
  remote: boolean;
  remote_time_zones: string[] | null;
  compensation_min: string | number;
  compensation_max: string | number;
  compensation_currency: string;
  published_at: Date | null;
}

function toPublic(r: PublicOpeningRow): PublicOpening {
  const min = Number(r.compensation_min);
  const max = Number(r.compensation_max);
  return {
    id: r.id,
    title: r.title,
    location: r.location,
    remote: r.remote,
    remoteTimeZones: r.remote_time_zones ?? [],
    pay: { min, max, currency: r.compensation_currency, text: payText(min, max, r.compensation_currency) },
    publishedAt: r.published_at,
  };
}
