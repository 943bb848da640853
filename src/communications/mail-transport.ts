import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer, { Transporter } from 'nodemailer';
import { ENV } from '../common/config/config.module';
import { Env } from '../common/config/env.schema';
import { Message } from './message.entity';
import { reveal } from './domain/message-secrets';
import { replyAddress } from '../inbox/domain/reply-address';

/**
 * The SMTP URL with the transport's defaults as its query options (nodemailer reads a URL's options
 * from its query string only: an options object beside a URL is taken as message defaults), each
 * unless the URL sets it already:
 *  - `pool=true`: the worker keeps its SMTP connections open and sends message after message over
 *    them (at most 5 at once, each renewed after 100 messages), instead of a TCP connection, the
 *    greeting and EHLO (and TLS, where used) per message;
 *  - connection, greeting and socket timeouts of 10, 10 and 20 s.
 */
export function smtpUrlWithDefaults(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  const defaults = { pool: 'true', connectionTimeout: '10000', greetingTimeout: '10000', socketTimeout: '20000' };
  for (const [k, v] of Object.entries(defaults)) if (!url.searchParams.has(k)) url.searchParams.set(k, v);
  return url.toString();
}

/**
 * SMTP through nodemailer when SMTP_URL is set; otherwise each message is written as an .eml
 * file under var/mail/ so a newcomer can open it. The Message-ID is derived from the outbox row,
 * so a resend after a crash carries the same Message-ID and mail clients collapse the duplicate.
 */
@Injectable()
export class MailTransport implements OnModuleDestroy {
  private readonly logger = new Logger(MailTransport.name);
  private readonly transporter: Transporter;
  private readonly folder?: string;

  constructor(@Inject(ENV) private readonly env: Env) {
    if (env.SMTP_URL) {
      this.transporter = nodemailer.createTransport(smtpUrlWithDefaults(env.SMTP_URL));
    } else {
      this.folder = path.resolve(env.DATA_DIR, 'mail');
      mkdirSync(this.folder, { recursive: true });
      this.transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    }
  }

  /**
   * Over SMTP the link secrets are put back at send time (reveal); the .eml file copy (no
   * SMTP_URL) is the stored, redacted message: files under DATA_DIR hold no live link.
   */
  async send(m: Message): Promise<string> {
    const domain = new URL(this.env.PUBLIC_URL ?? 'http://hiring.local').hostname;
    const body = this.folder ? { html: m.html, text: m.text } : reveal(this.env.SESSION_SECRET, m);
    const info = await this.transporter.sendMail({
      from: this.env.MAIL_FROM,
      to: m.toName ? { name: m.toName, address: m.toAddress } : m.toAddress,
      subject: m.subject,
      html: body.html,
      text: body.text,
      messageId: `<${m.id}@${domain}>`,
      // Replies to a candidate's mail thread under it; with a team mailbox (IMAP_URL) every message
      // about an application carries its reply address, so an answer finds its way back (docs/inbox.md).
      ...(m.inReplyTo ? { inReplyTo: m.inReplyTo, references: m.references ?? m.inReplyTo } : {}),
      ...(this.env.IMAP_URL && m.applicationId && m.candidateId
        ? { replyTo: replyAddress(this.env.MAIL_FROM, m.applicationId, this.env.SESSION_SECRET) }
        : {}),
      headers: {
        'X-Hiring-Message-Id': m.id,
        'X-Hiring-Template': m.template,
        ...(this.folder && m.secretsEnc ? { 'X-Hiring-Links': 'hidden in this file copy; delivered live only over SMTP' } : {}),
      },
      icalEvent: m.attachments.find((a) => a.contentType.startsWith('text/calendar'))
        ? {
            method: m.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.method ?? 'REQUEST',
            content: m.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content,
            filename: 'invite.ics',
          }
        : undefined,
      attachments: m.attachments
        .filter((a) => !a.contentType.startsWith('text/calendar'))
        .map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content, encoding: a.encoding })),
    });
    if (this.folder) {
      const file = path.join(this.folder, `${new Date().toISOString().replace(/[:.]/g, '-')}-${m.template}-${m.id}.eml`);
      writeFileSync(file, (info as unknown as { message: Buffer }).message);
      return file;
    }
    return String(info.messageId ?? '');
  }

  onModuleDestroy(): void {
    this.transporter.close();
  }
}
