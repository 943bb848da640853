import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A local chat server (Slack / Teams incoming webhooks): records each POST, answers with the next status in `answers` (then 200). */
export class ChatReceiver {
  readonly posts: Array<{ path: string; body: any }> = [];
  answers: number[] = [];
  base = '';
  private server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      let body: unknown = data;
      try {
        body = JSON.parse(data);
      } catch {
        // recorded as text
      }
      this.posts.push({ path: req.url ?? '', body });
      res.statusCode = this.answers.shift() ?? 200;
      res.end(res.statusCode === 200 ? 'ok' : 'try later');
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  to(path: string) {
    return this.posts.filter((p) => p.path === path);
  }
  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}
