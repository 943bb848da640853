import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { timingSafeEqual } from 'node:crypto';

/**
 * Who may read /metrics (it names opening ids and queue depths): a request carrying
 * `Authorization: Bearer <METRICS_TOKEN>` (when set), or one from an address in METRICS_ALLOW
 * (addresses or CIDRs; default loopback). The client address is req.ip, so TRUST_PROXY decides
 * whether a proxy's X-Forwarded-For counts.
 */
export class MetricsAccess {
  private readonly allow = new BlockList();

  constructor(
    private readonly token: string | undefined,
    allow: readonly string[],
  ) {
    for (const entry of allow) {
      const [addr, bits] = entry.split('/');
      const type = isIPv4(addr) ? 'ipv4' : isIPv6(addr) ? 'ipv6' : null;
      if (!type) continue;
      if (bits === undefined) this.allow.addAddress(addr, type);
      else this.allow.addSubnet(addr, Number(bits), type);
    }
  }

  allows(ip: string | undefined, authorization: string | undefined): boolean {
    if (this.token && authorization) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization);
      const a = Buffer.from(m?.[1] ?? '');
      const b = Buffer.from(this.token);
      if (a.length === b.length && timingSafeEqual(a, b)) return true;
    }
    if (!ip) return false;
    const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
    if (v4) return this.allow.check(v4, 'ipv4');
    if (isIPv4(ip)) return this.allow.check(ip, 'ipv4');
    if (isIPv6(ip)) return this.allow.check(ip, 'ipv6');
    return false;
  }
}
