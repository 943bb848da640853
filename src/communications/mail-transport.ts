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
 * The Content-Transfer-Encoding nodemailer picks for a text or HTML body, decided in one pass over
 * the string, to hand to it (`{ content, contentTransferEncoding }`) so it skips its own decision:
 * MimeNode.getTransferEncoding counts the characters with two global regex matches that build an
 * array of every match (every ASCII letter of the body), about a fifth of the worker's CPU per
 * delivered message. Same rule, same answer: a body of ASCII text without control characters and
 * with no line over 76 characters gets `undefined` (nodemailer sends it as 7bit, and decides that
 * cheaply); otherwise quoted-printable when it has fewer "non-Latin" UTF-16 code units (controls other
 * than tab, LF and CR; U+0080 and above) than ASCII letters, else base64.
 */
export function bodyTransferEncoding(content: string): 'quoted-printable' | 'base64' | undefined {
  let nonLatin = 0;
  let letters = 0;
  let line = 0;
  let longLine = content.length > 128 * 1024; // nodemailer does not test longer strings: it takes them as long-lined
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) {
      line = 0;
    } else if (++line > 76) longLine = true;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) letters++;
    else if (c >= 0x80 || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d)) nonLatin++;
  }
  if (!nonLatin && !longLine) return undefined;
  return nonLatin < letters ? 'quoted-printable' : 'base64';
}

/** A body for nodemailer, with its transfer encoding decided (bodyTransferEncoding) where that saves it the work. */
export function mailBody(content: string): string | { content: string; contentTransferEncoding: string } {
  const contentTransferEncoding = content ? bodyTransferEncoding(content) : undefined;
  return contentTransferEncoding ? { content, contentTransferEncoding } : content;
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
      html: mailBody(body.html),
      text: mailBody(body.text),
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
