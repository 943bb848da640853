/**
 * The report channel of a sandbox run: what the container's entry (`/opt/sandbox/serve`) writes
 * on its stdout once every process of the tests is dead. One line of facts, then a tar holding
 * only the JUnit report (or nothing when the tests wrote none). Pure: no Docker.
 */
export interface RunFactsLine {
  /** OOM kills the memory cgroup counted (null when the kernel does not say). */
  oomKills: number | null;
  /** Time spent unpacking the files into the work dir, inside the sandbox. */
  unpackMs: number | null;
  /** Time of the fixed test command, inside the sandbox. */
  testMs: number | null;
  /**
   * The entry also gives the test command's exit code, the size of the report tar that follows the
   * line, and the token of the log's last line (`sandbox-log-end <token>`): the host then has the
   * whole run once those arrived, before the container has exited. (Optional here: a line without
   * them is parsed all the same, and such a run ends only with its stream.)
   */
  exitCode?: number;
  reportBytes?: number;
  logEnd?: string;
}

export interface RunChannel {
  /** null when the channel does not start with a facts line (the entry did not finish). */
  facts: RunFactsLine | null;
  /** The bytes after the facts line: a tar with only junit.xml, or empty. */
  reportTar: Buffer;
}

const PREFIX = 'sandbox-facts';
const MAX_LINE = 512;
const LOG_END_TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The last line of a prestarted run's log (see RunFactsLine.logEnd). */
export const logEndLine = (token: string): string => `sandbox-log-end ${token}\n`;

/**
 * How many bytes a prestarted run's channel holds in all, once its facts line has arrived (null:
 * not yet, or a channel that does not say: then it ends with the stream). `head` is the channel's
 * first bytes (at least the facts line).
 */
export function declaredChannelBytes(head: Buffer): { total: number; logEnd: string; exitCode: number } | null {
  const nl = head.subarray(0, MAX_LINE).indexOf(0x0a);
  if (nl < 0) return null;
  const { facts } = parseRunChannel(head.subarray(0, nl + 1));
  if (facts?.reportBytes === undefined || facts.logEnd === undefined || facts.exitCode === undefined) return null;
  return { total: nl + 1 + facts.reportBytes, logEnd: facts.logEnd, exitCode: facts.exitCode };
}

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
  const facts: RunFactsLine = { oomKills: num('oom_kill'), unpackMs: num('unpack_ms'), testMs: num('test_ms') };
  const rc = num('rc');
  const reportBytes = num('report_bytes');
  const logEnd = values.get('log_end');
  if (rc !== null && rc <= 255 && reportBytes !== null && logEnd !== undefined && LOG_END_TOKEN.test(logEnd)) {
    facts.exitCode = rc;
    facts.reportBytes = reportBytes;
    facts.logEnd = logEnd;
  }
  return { facts, reportTar: out.subarray(nl + 1) };
}
