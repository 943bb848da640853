import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { badRequest, notFound } from '../common/errors/application.exception';
import { seal } from '../integrations/secret-box';
import { ChatService } from './chat.service';
import { urlHint } from './domain/chat';
import { parseRoutes, Routes, withDefaults } from './domain/routes';

export interface NotificationRoutesDto {
  userId: string;
  slack: { urlHint: string; since: Date } | null;
  teams: { urlHint: string; since: Date } | null;
  routes: Routes;
}

type Row = {
  slack_url_hint: string | null;
  slack_since: Date | null;
  teams_url_hint: string | null;
  teams_since: Date | null;
  routes: Record<string, unknown>;
};

/**
 * Per-user routing (docs/notification-routes.md): where each kind of alert and the daily digest
 * goes, e-mail (the default) and/or the user's own Slack or Teams incoming webhook. The URLs are
 * secrets: sealed (key 'chat-webhooks'), never returned. Deliveries go through chat_deliveries.
 */
@Injectable()
export class NotificationRoutesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly chat: ChatService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  private async row(userId: string): Promise<Row | undefined> {
    const [user] = await this.ds.query(`SELECT id FROM users WHERE id = $1`, [userId]);
    if (!user) throw notFound('User');
    const [r] = await this.ds.query(
      `SELECT slack_url_hint, slack_since, teams_url_hint, teams_since, routes FROM notification_routes WHERE user_id = $1`,
      [userId],
    );
    return r;
  }

  async get(userId: string): Promise<NotificationRoutesDto> {
    const r = await this.row(userId);
    return {
      userId,
      slack: r?.slack_url_hint ? { urlHint: r.slack_url_hint, since: r.slack_since! } : null,
      teams: r?.teams_url_hint ? { urlHint: r.teams_url_hint, since: r.teams_since! } : null,
      routes: withDefaults(r?.routes),
    };
  }

  /**
   * `slackUrl`/`teamsUrl`: a URL sets it, null or "" removes it (and its pending deliveries),
   * absent keeps it. `routes`: the kinds given replace theirs; the others keep their route.
   */
  async put(userId: string, body: Record<string, unknown>): Promise<NotificationRoutesDto> {
    if (!body || typeof body !== 'object') throw badRequest('the body must be a JSON object');
    const r = await this.row(userId);
    const now = new Date();
    const next = {
      slack: { enc: undefined as string | null | undefined, hint: undefined as string | null | undefined, has: !!r?.slack_url_hint },
      teams: { enc: undefined as string | null | undefined, hint: undefined as string | null | undefined, has: !!r?.teams_url_hint },
    };
    for (const f of ['slack', 'teams'] as const) {
      const v = body[`${f}Url`];
      if (v === undefined) continue;
      if (v === null || v === '') {
        next[f] = { enc: null, hint: null, has: false };
        continue;
      }
      if (typeof v !== 'string') throw badRequest(`${f}Url must be the incoming webhook URL (https://…), or null to remove it`);
      await this.chat.checkUrl(v.trim(), `${f}Url`);
      next[f] = { enc: seal(this.env.SESSION_SECRET, 'chat-webhooks', v.trim()), hint: urlHint(v.trim()), has: true };
    }
    // Removing a webhook without saying where its kinds go now sends them back to e-mail.
    const current = withDefaults(r?.routes);
    for (const k of Object.keys(current) as Array<keyof Routes>) {
      const kept = current[k].filter((t) => t === 'email' || next[t].has);
      current[k] = kept.length ? kept : ['email'];
    }
    const parsed = parseRoutes(body.routes, current, { slack: next.slack.has, teams: next.teams.has });
    if ('error' in parsed) throw badRequest(parsed.error);
    await this.ds.transaction(async (m) => {
      await m.query(`INSERT INTO notification_routes (user_id) VALUES ($1) ON CONFLICT DO NOTHING`, [userId]);
      for (const f of ['slack', 'teams'] as const) {
        if (next[f].enc === undefined) continue;
        await m.query(
          `UPDATE notification_routes SET ${f}_url_enc = $2, ${f}_url_hint = $3, ${f}_since = CASE WHEN $2::text IS NULL THEN NULL ELSE $4::timestamptz END WHERE user_id = $1`,
          [userId, next[f].enc, next[f].hint, now],
        );
        // A changed or removed address: what waited for the old one is not sent to the new one.
        await m.query(`DELETE FROM chat_deliveries WHERE user_id = $1 AND flavor = $2 AND status = 'pending'`, [userId, f]);
      }
      await m.query(`UPDATE notification_routes SET routes = $2, updated_at = $3 WHERE user_id = $1`, [
        userId,
        JSON.stringify(parsed.routes),
        now,
      ]);
    });
    return this.get(userId);
  }

  /** "Send a test message": one delivery to each of the user's webhooks, posted by the worker within seconds. */
  async test(userId: string): Promise<{ queued: string[] }> {
    const r = await this.get(userId);
    const flavors = (['slack', 'teams'] as const).filter((f) => r[f]);
    if (!flavors.length) throw badRequest('There is no Slack or Teams webhook to test: set slackUrl or teamsUrl first');
    const now = new Date();
    const text = `A test message from Hiring: your notifications reach this channel.\n${publicUrl(this.env)}/notifications\nOpen your notification settings`;
    for (const f of flavors)
      await this.ds.query(
        `INSERT INTO chat_deliveries (user_id, flavor, dedupe_key, text, status, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, 'pending', $5, $5)`,
        [userId, f, `test:${randomUUID()}`, text, now],
      );
    return { queued: flavors };
  }

  /** The user's latest personal deliveries, newest first. */
  async deliveries(userId: string, limit = 20) {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT id, flavor, text, status, attempts, last_status, last_error, created_at, delivered_at, next_attempt_at
         FROM chat_deliveries WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT $2`,
      [userId, limit],
    );
    return rows.map((d) => ({
      id: d.id as string,
      flavor: d.flavor as string,
      text: String(d.text).split('\n')[0],
      status: d.status as string,
      attempts: d.attempts as number,
      lastStatus: d.last_status as number | null,
      lastError: d.last_error as string | null,
      createdAt: d.created_at as Date,
      deliveredAt: d.delivered_at as Date | null,
      nextAttemptAt: d.status === 'pending' ? (d.next_attempt_at as Date) : null,
    }));
  }
}
