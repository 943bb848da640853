import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A real CalDAV server for the calendar tests: Debian's radicale (installed by scripts/setup.sh),
 * started on a free port with its storage and a plain htpasswd file in a temp folder.
 */
export class Radicale {
  private proc?: ChildProcess;
  private dir = '';
  port = 0;
  readonly users: Record<string, string> = { alice: 'alice-secret-1', bob: 'bob-secret-1' };

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `env`: more environment for the server process (e.g. a TZ of its own). */
  async start(env: Record<string, string> = {}): Promise<void> {
    this.dir = mkdtempSync(path.join(tmpdir(), 'radicale-'));
    this.port = await freePort();
    writeFileSync(
      path.join(this.dir, 'users'),
      Object.entries(this.users)
        .map(([u, p]) => `${u}:${p}`)
        .join('\n') + '\n',
    );
    writeFileSync(
      path.join(this.dir, 'config'),
      [
        '[server]',
        `hosts = 127.0.0.1:${this.port}`,
        '[auth]',
        'type = htpasswd',
        `htpasswd_filename = ${path.join(this.dir, 'users')}`,
        'htpasswd_encryption = plain',
        'delay = 0',
        '[storage]',
        `filesystem_folder = ${path.join(this.dir, 'collections')}`,
        '[rights]',
        'type = owner_only',
        '[logging]',
        'level = warning',
        '',
      ].join('\n'),
    );
    this.proc = spawn('radicale', ['--config', path.join(this.dir, 'config')], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stderr = '';
    this.proc.stderr?.on('data', (c) => (stderr += String(c)));
    const end = Date.now() + 30_000;
    for (;;) {
      try {
        const res = await fetch(`${this.base}/.well-known/caldav`, { redirect: 'manual' });
        if (res.status > 0) break;
      } catch {
        /* not yet */
      }
      if (this.proc.exitCode !== null || Date.now() > end) throw new Error(`radicale did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    if (this.proc && this.proc.exitCode === null) {
      const exited = new Promise((r) => this.proc!.once('exit', r));
      this.proc.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  auth(user: string): string {
    return `Basic ${Buffer.from(`${user}:${this.users[user]}`).toString('base64')}`;
  }

  async request(user: string, method: string, p: string, body?: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${this.base}${p}`, { method, body, headers: { authorization: this.auth(user), ...headers } });
    return { status: res.status, text: await res.text() };
  }

  /** MKCALENDAR /<user>/<name>/ */
  async makeCalendar(user: string, name: string): Promise<string> {
    const res = await this.request(
      user,
      'MKCALENDAR',
      `/${user}/${name}/`,
      `<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>${name}</D:displayname>` +
        `<C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>`,
      { 'content-type': 'application/xml' },
    );
    if (res.status !== 201) throw new Error(`MKCALENDAR: ${res.status} ${res.text}`);
    return `/${user}/${name}/`;
  }

  async putEvent(user: string, calendarPath: string, file: string, ics: string): Promise<void> {
    const res = await this.request(user, 'PUT', `${calendarPath}${file}`, ics, { 'content-type': 'text/calendar' });
    if (res.status !== 201 && res.status !== 204) throw new Error(`PUT: ${res.status} ${res.text}`);
  }
}
