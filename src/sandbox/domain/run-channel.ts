/**
 * The report channel of a sandbox run: what `/opt/sandbox/run` writes on its stdout once every
 * process of the tests is dead. One line of facts, then a tar holding only the JUnit report (or
 * nothing when the tests wrote none). Pure: no Docker.
 */
export interface RunFactsLine {
  /** OOM kills the memory cgroup counted (null when the kernel does not say). */
  oomKills: number | null;
  /** Time spent unpacking the files into the work dir, inside the sandbox. */
  unpackMs: number | null;
  /** Time of the fixed test command, inside the sandbox. */
  testMs: number | null;
}

export interface RunChannel {
  /** null when the channel does not start with a facts line (the run script did not finish). */
  facts: RunFactsLine | null;
  /** The bytes after the facts line: a tar with only junit.xml, or empty. */
  reportTar: Buffer;
}

const PREFIX = 'sandbox-facts';
const MAX_LINE = 512;

export function parseRunChannel(out: Buffer): RunChannel {
  const nl = out.subarray(0, MAX_LINE).indexOf(0x0a);
  if (nl < 0) return { facts: null, reportTar: Buffer.alloc(0) };
  const line = out.subarray(0, nl).toString('latin1');
  const words = line.split(' ');
  if (words[0] !== PREFIX) return { facts: null, reportTar: Buffer.alloc(0) };
  const values = new Map<string, string>();
  for (const w of words.slice(1)) {
    const eq = w.indexOf('=');
    if (eq > 0) values.set(w.slice(0, eq), w.slice(eq + 1));
  }
  const num = (k: string): number | null => {
    const v = values.get(k);
    return v !== undefined && /^\d{1,12}$/.test(v) ? Number(v) : null;
  };
  return {
    facts: { oomKills: num('oom_kill'), unpackMs: num('unpack_ms'), testMs: num('test_ms') },
    reportTar: out.subarray(nl + 1),
  };
}
