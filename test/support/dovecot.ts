import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort } from './redis-server';

/**
 * A real IMAP server for tests: Debian's dovecot (dovecot-imapd, installed by scripts/setup.sh),
 * started as a child with a minimal configuration in a temp dir: one passwd-file user, maildir
 * in the temp dir, plaintext login on 127.0.0.1 only, a free port. stop()/start() simulate an
 * outage on the same port and mail store.
 */
export class Dovecot {
  readonly user = 'hiring';
  readonly password = 'imap-test-password';
  port = 0;
  private dir = '';
  private child?: ChildProcess;

  get url(): string {
    return `imap://${this.user}:${this.password}@127.0.0.1:${this.port}/INBOX`;
  }

  async start(): Promise<void> {
    if (!this.dir) {
      this.dir = mkdtempSync(path.join(tmpdir(), 'dovecot-'));
      this.port = await freePort();
      for (const d of ['run', 'state', 'mail']) mkdirSync(path.join(this.dir, d));
      const root = userInfo().uid === 0;
      // As root dovecot drops privileges to these users; as anyone else it runs as that user.
      const login = root ? 'nobody' : userInfo().username;
      const uid = root ? 65534 : userInfo().uid;
      const gid = root ? 65534 : userInfo().gid;
      const group = root ? (spawnSync('id', ['-gn', 'nobody']).stdout?.toString().trim() ?? 'nogroup') : String(gid);
      chmodSync(this.dir, 0o755);
      chmodSync(path.join(this.dir, 'mail'), 0o777);
      writeFileSync(path.join(this.dir, 'users'), `${this.user}:{PLAIN}${this.password}::::::\n`);
      writeFileSync(
        path.join(this.dir, 'dovecot.conf'),
        `protocols = imap
listen = 127.0.0.1
base_dir = ${this.dir}/run
state_dir = ${this.dir}/state
log_path = ${this.dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = ${login}
default_internal_user = ${login}
default_internal_group = ${group}
first_valid_uid = 1
mail_location = maildir:${this.dir}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${this.dir}/users
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${this.dir}/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${this.port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
      );
    }
    // No pipes: dovecot's own children would inherit them and keep them open after it stops;
    // what it says goes to log_path (read by log()).
    this.child = spawn('dovecot', ['-F', '-c', path.join(this.dir, 'dovecot.conf')], { stdio: 'ignore' });
    const output = '';
    const end = Date.now() + 15_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`dovecot exited: ${output}\n${this.log()}`);
      if (await this.answers()) return;
      if (Date.now() > end) throw new Error(`dovecot did not start: ${output}\n${this.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Stops the server (an outage); start() brings it back with the same mail. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    this.child = undefined;
  }

  async destroy(): Promise<void> {
    await this.stop();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  log(): string {
    try {
      return readFileSync(path.join(this.dir, 'dovecot.log'), 'utf8').slice(-4000);
    } catch {
      return '';
    }
  }

  private async answers(): Promise<boolean> {
    const c = this.client();
    try {
      await c.connect();
      await c.logout();
      return true;
    } catch {
      c.close();
      return false;
    }
  }

  client(): ImapFlow {
    const c = new ImapFlow({
      host: '127.0.0.1',
      port: this.port,
      secure: false,
      auth: { user: this.user, pass: this.password },
      logger: false,
    });
    c.on('error', () => undefined);
    return c;
  }

  /** Delivers a mail into INBOX (IMAP APPEND), as the candidate's mail server would. */
  async deliver(raw: string | Buffer, flags: string[] = []): Promise<void> {
    const c = this.client();
    await c.connect();
    try {
      await c.append('INBOX', raw, flags);
    } finally {
      await c.logout();
    }
  }

  /** The flags of every mail in INBOX, by Message-ID. */
  async flags(): Promise<Map<string, string[]>> {
    const c = this.client();
    await c.connect();
    const out = new Map<string, string[]>();
    const lock = await c.getMailboxLock('INBOX');
    try {
      for await (const m of c.fetch('1:*', { envelope: true, flags: true })) out.set(m.envelope?.messageId ?? '', [...(m.flags ?? [])]);
    } catch {
      // an empty mailbox
    } finally {
      lock.release();
      await c.logout();
    }
    return out;
  }
}
