import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isPrivateAddress, parseTargetUrl } from './domain/address-policy';

export class TargetRefused extends Error {}

/** All addresses a host name resolves to (or the literal itself). */
export function resolveHost(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addrs) => (err ? reject(err) : resolve(addrs))),
  );
}

/** Refuses a target any of whose addresses is private, unless private targets are allowed. */
export async function checkTarget(rawUrl: string, allowPrivate: boolean): Promise<void> {
  const t = parseTargetUrl(rawUrl);
  if (!t.ok) throw new TargetRefused(t.reason);
  if (allowPrivate) return;
  let addrs: LookupAddress[];
  try {
    addrs = t.ipLiteral ? [{ address: t.host, family: t.host.includes(':') ? 6 : 4 }] : await resolveHost(t.host);
  } catch (e) {
    throw new TargetRefused(`${t.host} does not resolve (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const bad = addrs.find((a) => isPrivateAddress(a.address));
  if (bad)
    throw new TargetRefused(
      `${t.host} resolves to ${bad.address}, a loopback, private or reserved address; an admin can allow private targets (PUT /api/v1/settings/webhooks)`,
    );
}

/**
 * The DNS lookup the socket itself uses: the addresses are checked at connect time, so a name
 * that resolved to a public address at registration and to 127.0.0.1 now (DNS rebinding) is
 * refused, and the connection goes to exactly the address that was checked.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (
    hostname: string,
    options: { all?: boolean },
    cb: (err: Error | null, address?: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addrs) => {
      if (err) return cb(err);
      if (!allowPrivate) {
        const bad = addrs.find((a) => isPrivateAddress(a.address));
        if (bad) return cb(new TargetRefused(`${hostname} resolves to ${bad.address}, a loopback, private or reserved address`));
      }
      if (options?.all) cb(null, addrs);
      else cb(null, addrs[0].address, addrs[0].family);
    });
  };
}

export interface PostResult {
  status: number;
  excerpt: string;
  durationMs: number;
}

/** POST a body; no redirects followed, a hard timeout, at most `maxExcerpt` bytes of the answer kept. */
export async function postGuarded(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  opts: { allowPrivate: boolean; timeoutMs: number; maxExcerpt?: number },
): Promise<PostResult> {
  const t = parseTargetUrl(rawUrl);
  if (!t.ok) throw new TargetRefused(t.reason);
  if (t.ipLiteral && !opts.allowPrivate && isPrivateAddress(t.host))
    throw new TargetRefused(`${t.host} is a loopback, private or reserved address`);
  const started = Date.now();
  const max = opts.maxExcerpt ?? 1024;
  const mod = t.url.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve, reject) => {
    const req = mod.request(
      t.url,
      {
        method: 'POST',
        agent: false,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(opts.allowPrivate) as never,
        timeout: opts.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (c: Buffer) => {
          if (kept < max) {
            chunks.push(c.subarray(0, max - kept));
            kept += Math.min(c.length, max - kept);
          }
        });
        const done = () =>
          resolve({ status: res.statusCode ?? 0, excerpt: Buffer.concat(chunks).toString('utf8'), durationMs: Date.now() - started });
        res.on('end', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', (e) => reject(e));
    req.on('close', () => clearTimeout(timer));
    req.end(body);
  });
}
