import { simpleParser, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { AddressInfo } from 'node:net';

export interface CapturedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  raw: string;
  parsed: ParsedMail;
}

/** A real SMTP server for tests: captures every message; can refuse mail on demand. */
export class SmtpCapture {
  readonly mails: CapturedMail[] = [];
  refuse = false;
  /** Runs before the server answers 250 to a message (to break something in that window). */
  beforeAccept?: (mail: CapturedMail) => Promise<void>;
  private server?: SMTPServer;
  port = 0;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (_addr, _session, cb) => (this.refuse ? cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 450 })) : cb()),
      onData: (stream, _session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const parsed = await simpleParser(raw);
          const to = Array.isArray(parsed.to) ? parsed.to[0]?.value[0]?.address : parsed.to?.value[0]?.address;
          const mail = {
            to: to ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId ?? '',
            raw,
            parsed,
          };
          this.mails.push(mail);
          if (this.beforeAccept) await this.beforeAccept(mail).catch(() => undefined);
          cb();
        });
      },
    });
    // Port 0: the system picks a free one while listening (no window for another process to take it).
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    // A client's broken connection is reported as the server's 'error': not a test failure.
    server.on('error', () => undefined);
    this.port = (server.server.address() as AddressInfo).port;
  }

  to(address: string): CapturedMail[] {
    return this.mails.filter((m) => m.to.toLowerCase() === address.toLowerCase());
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
