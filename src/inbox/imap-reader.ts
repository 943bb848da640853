import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ImapFlow, ImapFlowOptions } from 'imapflow';
import { ENV } from '../common/config/config.module';
import { Env } from '../common/config/env.schema';
import { InboundMailService } from './inbound-mail.service';

export const IMPORTED_KEYWORD = '$HiringImported';

/** IMAP_URL -> connection options and mailbox (`imaps://user:pass@host:993/INBOX?auth=xoauth2`). */
export function imapOptions(imapUrl: string): { options: ImapFlowOptions; mailbox: string } {
  const u = new URL(imapUrl);
  const secure = u.protocol === 'imaps:';
  const user = decodeURIComponent(u.username);
  const secret = decodeURIComponent(u.password);
  const oauth = /^xoauth2$/i.test(u.searchParams.get('auth') ?? '');
  return {
    options: {
      host: u.hostname,
      port: Number(u.port) || (secure ? 993 : 143),
      secure,
      auth: oauth ? { user, accessToken: secret } : { user, pass: secret },
      logger: false,
      // A server on loopback (tests, a local relay) is allowed without TLS; elsewhere STARTTLS is used when offered.
      tls: { rejectUnauthorized: u.searchParams.get('tls') !== 'insecure' },
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 5 * 60_000,
    } as ImapFlowOptions,
    mailbox: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX',
  };
}

/**
 * The team mailbox reader, on the general worker (docs/inbox.md). One connection: every mail not
 * yet imported is fetched (bounded by INBOUND_MAX_MESSAGE_BYTES), stored by InboundMailService,
 * and only then flagged ($HiringImported and \Seen) or moved to IMAP_DONE_MAILBOX, so a crash in
 * between reads it again (and the store is idempotent). Between rounds the connection IDLEs and a
 * new mail wakes it at once; IMAP_POLL_SECONDS is the fallback for servers without IDLE and the
 * retry delay after an error. Each round's outcome is recorded for /health and the admin page.
 */
@Injectable()
export class ImapReader implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ImapReader.name);
  private stopped = false;
  private client?: ImapFlow;
  private wake?: () => void;
  /** Set by the server's EXISTS (new mail) since the current round's search began. */
  private news = false;
  private running?: Promise<void>;

  constructor(
    private readonly inbound: InboundMailService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.env.IMAP_URL) return;
    this.running = this.loop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.client?.close();
    await this.running?.catch(() => undefined);
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.session();
      } catch (e) {
        if (this.stopped) break;
        const message = describe(e);
        this.logger.warn({ err: message }, 'the team mailbox could not be read; retrying');
        await this.inbound.recordStatus({ error: message }).catch(() => undefined);
      }
      if (this.stopped) break;
      await this.pause(this.env.IMAP_POLL_SECONDS * 1000);
    }
  }

  /** Waits `ms`, or less: a new mail, a dropped connection or the shutdown wakes it. */
  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  /** One connection: drain, then wait for IDLE's news or the poll interval, until it drops. */
  private async session(): Promise<void> {
    const { options, mailbox } = imapOptions(this.env.IMAP_URL!);
    if (this.env.IMAP_DONE_MAILBOX && this.env.IMAP_DONE_MAILBOX.toLowerCase() === mailbox.toLowerCase())
      throw new Error(`IMAP_DONE_MAILBOX names the mailbox being read (${mailbox}); name another folder`);
    // IDLE is renewed every 25 minutes: RFC 2177 lets a server end it after 29.
    const client = new ImapFlow({ ...options, autoIdleDelay: 1000, maxIdleTime: 25 * 60_000 } as ImapFlowOptions);
    this.client = client;
    let closed = false;
    client.on('error', () => undefined);
    client.on('close', () => {
      closed = true;
      this.wake?.();
    });
    client.on('exists', () => {
      this.news = true;
      this.wake?.();
    });
    try {
      await client.connect();
      while (!this.stopped && !closed) {
        // The lock is held for a round only: imapflow starts IDLE (autoIdleDelay after the last
        // command) only while no lock is held, and IDLE's EXISTS is what wakes the pause at once.
        const lock = await client.getMailboxLock(mailbox);
        let imported: number;
        try {
          this.news = false;
          imported = await this.drain(client);
        } finally {
          lock.release();
        }
        await this.inbound.recordStatus({ imported });
        if (this.stopped || closed) break;
        // A mail that arrived during the round (after its search) is read at once, not after the poll.
        if (!this.news) await this.pause(this.env.IMAP_POLL_SECONDS * 1000);
      }
      if (closed && !this.stopped) throw new Error('the IMAP server closed the connection');
    } finally {
      this.client = undefined;
      if (!closed) await client.logout().catch(() => client.close());
    }
  }

  /** Every mail not yet imported, oldest first. Returns how many were newly stored. */
  async drain(client: ImapFlow): Promise<number> {
    const query = this.env.IMAP_DONE_MAILBOX ? { all: true } : { unKeyword: IMPORTED_KEYWORD };
    const uids = ((await client.search(query, { uid: true })) || []).sort((a, b) => a - b);
    let stored = 0;
    for (const uid of uids) {
      if (this.stopped) break;
      const meta = await client.fetchOne(String(uid), { uid: true, size: true, internalDate: true }, { uid: true });
      if (!meta) continue;
      const size = meta.size ?? 0;
      const body =
        size > this.env.INBOUND_MAX_MESSAGE_BYTES
          ? await client.fetchOne(String(uid), { headers: true }, { uid: true })
          : await client.fetchOne(String(uid), { source: true }, { uid: true });
      const raw = body ? (size > this.env.INBOUND_MAX_MESSAGE_BYTES ? body.headers : body.source) : undefined;
      if (!raw) continue;
      const internal = meta.internalDate instanceof Date ? meta.internalDate : undefined;
      const result = await this.inbound.ingest(Buffer.from(raw), { size, receivedAt: internal });
      if (result.status === 'stored') stored++;
      // Only after the row is committed: a crash before this line reads the mail again (a duplicate, skipped).
      if (this.env.IMAP_DONE_MAILBOX) await client.messageMove(String(uid), this.env.IMAP_DONE_MAILBOX, { uid: true });
      else await client.messageFlagsAdd(String(uid), ['\\Seen', IMPORTED_KEYWORD], { uid: true });
    }
    return stored;
  }
}

function describe(e: unknown): string {
  const err = e as { message?: string; responseText?: string; code?: string; authenticationFailed?: boolean };
  if (err?.authenticationFailed) return 'the IMAP server refused the user name or password (or token)';
  return [err?.message, err?.responseText, err?.code].filter(Boolean).join(': ').slice(0, 500) || 'unknown error';
}
