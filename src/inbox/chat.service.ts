import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { badRequest, notFound } from '../common/errors/application.exception';
import { rowsOf } from '../common/database/rows';
import { AppEvents, OnEvent } from '../common/events/event-bus';
import '../alerts/alerts.events';
import { checkTarget, postGuarded, TargetRefused } from '../integrations/http-post';
import { seal, unseal } from '../integrations/secret-box';
import { SettingsService } from '../integrations/settings.service';
import { CHAT_KINDS, CHAT_MAX_ATTEMPTS, chatBackoffMs, ChatFlavor, chatPayload, CHAT_FLAVORS, urlHint } from './domain/chat';

export interface ChatWebhookDto {
  id: string;
  name: string;
  flavor: ChatFlavor;
  urlHint: string;
  kinds: string[];
  active: boolean;
  createdAt: Date;
}

/**
 * Chat notifications (docs/inbox.md): Slack, Microsoft Teams (workflow) and Mattermost incoming
 * webhooks. The URL is the secret: sealed at rest (AES-256-GCM, key 'chat-webhooks'), never
 * echoed (a hint only). Alerts of the chosen kinds fan out into chat_deliveries (one per webhook
 * and alert level, unique), which the general worker's poller posts with retries and backoff;
 * nothing here runs inside the sweep that raised the alert, so a slow chat never delays it.
 */
@Injectable()
export class ChatService {
  private readonly logger = new Logger(ChatService.name);
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async list(): Promise<ChatWebhookDto[]> {
    const rows = await this.ds.query(
      `SELECT id, name, flavor, url_hint, kinds, active, created_at FROM chat_webhooks ORDER BY created_at, id`,
    );
    return rows.map(dto);
  }

  async create(input: { name: string; flavor: string; url: string; kinds: string[] }, actorId: string | null): Promise<ChatWebhookDto> {
    const name = input.name?.trim();
    if (!name || name.length > 100) throw badRequest('name is required (at most 100 characters)');
    if (!CHAT_FLAVORS.includes(input.flavor as ChatFlavor)) throw badRequest(`flavor must be one of ${CHAT_FLAVORS.join(', ')}`);
    const kinds = [...new Set(input.kinds ?? [])];
    if (!kinds.length || kinds.some((k) => !(CHAT_KINDS as readonly string[]).includes(k)))
      throw badRequest(`kinds must list one or more of ${CHAT_KINDS.join(', ')}`);
    await this.checkUrl(input.url, 'url');
    const [row] = await this.ds.query(
      `INSERT INTO chat_webhooks (name, flavor, url_enc, url_hint, kinds, created_by) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, name, flavor, url_hint, kinds, active, created_at`,
      [name, input.flavor, seal(this.env.SESSION_SECRET, 'chat-webhooks', input.url), urlHint(input.url), kinds, actorId],
    );
    return dto(row);
  }

  /** An incoming webhook URL passes the outbound guard (SSRF), else a 400 naming `field`. */
  async checkUrl(raw: string, field: string): Promise<void> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw badRequest(`${field} must be the incoming webhook URL (https://…)`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badRequest(`${field} must start with https://`);
    if (raw.length > 2000) throw badRequest(`${field} is too long`);
    const allowPrivate = await this.settings.allowPrivateTargets();
    if (url.protocol === 'http:' && !allowPrivate)
      throw badRequest(`${field} must start with https:// (plain http only where private targets are allowed)`);
    try {
      await checkTarget(raw, allowPrivate);
    } catch (e) {
      if (e instanceof TargetRefused) throw badRequest(`${field} is refused: ${e.message}`);
      throw badRequest(`${field} is refused: ${(e as Error).message}`);
    }
  }

  async remove(id: string): Promise<void> {
    const r = rowsOf<{ id: string }>(await this.ds.query(`DELETE FROM chat_webhooks WHERE id = $1 RETURNING id`, [id]));
    if (!r.length) throw notFound('Chat webhook');
  }

  /** The latest deliveries (all webhooks, or one), newest first: the delivery log. */
  async deliveries(webhookId?: string, limit = 50) {
    const rows = await this.ds.query(
      `SELECT d.id, d.webhook_id, w.name AS webhook, d.text, d.status, d.attempts, d.last_status, d.last_error, d.created_at, d.delivered_at, d.next_attempt_at
         FROM chat_deliveries d JOIN chat_webhooks w ON w.id = d.webhook_id
        WHERE ($1::uuid IS NULL OR d.webhook_id = $1) ORDER BY d.created_at DESC, d.id LIMIT $2`,
      [webhookId ?? null, limit],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id,
      webhookId: r.webhook_id,
      webhook: r.webhook,
      text: r.text,
      status: r.status,
      attempts: r.attempts,
      lastStatus: r.last_status,
      lastError: r.last_error,
      createdAt: r.created_at,
      deliveredAt: r.delivered_at,
      nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
    }));
  }

  /**
   * New alerts (and escalations) of the kinds each active webhook carries become pending
   * deliveries: alerts raised or escalated in the last two days, after the webhook was added.
   */
  async fanOut(now: Date): Promise<number> {
    const base = publicUrl(this.env);
    const rows = await this.ds.query(
      `INSERT INTO chat_deliveries (webhook_id, dedupe_key, text, status, next_attempt_at, created_at)
       SELECT w.id, 'alert:' || al.id || ':' || al.level,
              CASE WHEN al.level = 'escalated' THEN 'Escalated: ' ELSE '' END || al.message ||
                CASE WHEN al.application_id IS NOT NULL THEN E'\\n' || $2 || '/dashboard/applications/' || al.application_id ELSE '' END,
              'pending', $1, $1
         FROM chat_webhooks w
         JOIN alerts al ON al.kind = ANY(w.kinds) AND coalesce(al.escalated_at, al.created_at) >= greatest(w.created_at, $1::timestamptz - interval '2 days')
        WHERE w.active AND al.acknowledged_at IS NULL
       ON CONFLICT (webhook_id, dedupe_key) DO NOTHING RETURNING id`,
      [now, base],
    );
    // Personal routes (docs/notification-routes.md): each user's alerts of the kinds they route
    // to their own Slack or Teams webhook, raised or escalated after that webhook was set.
    const personal = await this.ds.query(
      `INSERT INTO chat_deliveries (user_id, flavor, dedupe_key, text, status, next_attempt_at, created_at)
       SELECT nr.user_id, f.flavor, 'alert:' || al.id || ':' || al.level,
              CASE WHEN al.level = 'escalated' THEN 'Escalated: ' ELSE '' END || al.message ||
                CASE WHEN al.application_id IS NOT NULL THEN E'\\n' || $2 || '/dashboard/applications/' || al.application_id ELSE '' END,
              'pending', $1, $1
         FROM notification_routes nr
         CROSS JOIN LATERAL (VALUES ('slack', nr.slack_url_enc, nr.slack_since), ('teams', nr.teams_url_enc, nr.teams_since)) f(flavor, enc, since)
         JOIN alerts al ON al.recipient_id = nr.user_id AND coalesce(al.escalated_at, al.created_at) >= greatest(f.since, $1::timestamptz - interval '2 days')
        WHERE f.enc IS NOT NULL AND al.acknowledged_at IS NULL AND coalesce(nr.routes -> al.kind, '["email"]'::jsonb) ? f.flavor
       ON CONFLICT (user_id, flavor, dedupe_key) WHERE user_id IS NOT NULL DO NOTHING RETURNING id`,
      [now, base],
    );
    return rows.length + personal.length;
  }

  /**
   * A manager's daily digest for their own chat webhooks (announced by the alerts sweep): one
   * pending delivery per flavor; the same digest key again (a second sweep that day) adds nothing.
   */
  @OnEvent('alerts.digest-composed')
  async queueDigest(e: AppEvents['alerts.digest-composed']): Promise<number> {
    if (!e.flavors.length) return 0;
    const queued = await this.ds.query(
      `INSERT INTO chat_deliveries (user_id, flavor, dedupe_key, text, status, next_attempt_at, created_at)
       SELECT $1, f, $2, $3, 'pending', $4, $4 FROM unnest($5::text[]) f
       ON CONFLICT (user_id, flavor, dedupe_key) WHERE user_id IS NOT NULL DO NOTHING RETURNING id`,
      [e.userId, e.dedupeKey, e.text, e.at, e.flavors],
    );
    return queued.length;
  }

  /** Posts the due deliveries (a few at a time); a failure is retried with backoff, then marked failed. */
  async deliverDue(now: Date, limit = 20): Promise<{ delivered: number; failed: number }> {
    // A row targets a team webhook, or a user's own webhook of one flavor (notification_routes).
    const due = rowsOf<{ id: string; text: string; attempts: number; flavor: ChatFlavor; url_enc: string | null }>(
      await this.ds.query(
        `UPDATE chat_deliveries d SET attempts = d.attempts + 1, next_attempt_at = $1::timestamptz + interval '5 minutes'
         WHERE d.id IN (SELECT id FROM chat_deliveries WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING d.id, d.text, d.attempts,
                  coalesce((SELECT w.flavor FROM chat_webhooks w WHERE w.id = d.webhook_id), d.flavor) AS flavor,
                  coalesce((SELECT w.url_enc FROM chat_webhooks w WHERE w.id = d.webhook_id),
                           (SELECT CASE d.flavor WHEN 'slack' THEN nr.slack_url_enc ELSE nr.teams_url_enc END
                              FROM notification_routes nr WHERE nr.user_id = d.user_id)) AS url_enc`,
        [now, limit],
      ),
    );
    let delivered = 0,
      failed = 0;
    const allowPrivate = due.length ? await this.settings.allowPrivateTargets() : false;
    for (const d of due) {
      let status: number | null = null;
      let error: string | null = null;
      try {
        if (!d.url_enc) throw new Error('the webhook address was removed');
        const url = unseal(this.env.SESSION_SECRET, 'chat-webhooks', d.url_enc);
        // text, then optionally the link and its label (default: the application).
        const [text, link, label] = d.text.split('\n');
        const body = JSON.stringify(chatPayload(d.flavor, text, link ? { url: link, label: label || 'Open the application' } : undefined));
        const r = await postGuarded(url, body, { 'content-type': 'application/json' }, { allowPrivate, timeoutMs: 10_000 });
        status = r.status;
        if (r.status < 200 || r.status >= 300) error = `answered ${r.status}${r.excerpt ? `: ${r.excerpt.slice(0, 200)}` : ''}`;
      } catch (e) {
        error = (e as Error).message.slice(0, 300);
      }
      if (!error) {
        delivered++;
        await this.ds.query(
          `UPDATE chat_deliveries SET status = 'succeeded', delivered_at = $2, last_status = $3, last_error = NULL WHERE id = $1`,
          [d.id, new Date(), status],
        );
      } else {
        const final = d.attempts >= CHAT_MAX_ATTEMPTS || !d.url_enc;
        if (final) failed++;
        this.logger.warn({ deliveryId: d.id, attempts: d.attempts, err: error }, 'chat delivery failed');
        await this.ds.query(
          `UPDATE chat_deliveries SET status = $2, last_status = $3, last_error = $4, next_attempt_at = $5 WHERE id = $1`,
          [d.id, final ? 'failed' : 'pending', status, error, new Date(now.getTime() + (final ? 0 : chatBackoffMs(d.attempts)))],
        );
      }
    }
    return { delivered, failed };
  }
}

function dto(r: Record<string, unknown>): ChatWebhookDto {
  return {
    id: r.id as string,
    name: r.name as string,
    flavor: r.flavor as ChatFlavor,
    urlHint: r.url_hint as string,
    kinds: r.kinds as string[],
    active: r.active as boolean,
    createdAt: r.created_at as Date,
  };
}
