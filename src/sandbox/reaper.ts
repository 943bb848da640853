import * as os from 'node:os';
import type Docker from 'dockerode';
import { EXPIRES_LABEL, OWNER_LABEL, REAP_GRACE_MS, SANDBOX_LABEL } from './sandbox-runner';
import { LIMIT_BOUNDS } from './domain/limits';

export interface ReapOptions {
  /**
   * Also remove containers whose lease has not expired when their owner is a process of this
   * host that no longer exists (its pid is gone). Never touches a live owner's containers.
   */
  deadOwners?: boolean;
  /** Only containers whose hiring.owner label has this value. */
  owner?: string;
  /** Age after which a container without an expiry label is removed (default: longest run + grace). */
  maxAgeMs?: number;
  now?: () => number;
  /** Is this owner (hiring.owner label) a live process? Default: same host and its pid answers kill(pid, 0). */
  ownerAlive?: (owner: string) => boolean;
}

/**
 * The owner label of a runner: `<hostname>:<pid>:<random>` (the random part tells a restarted
 * process with a reused pid apart in logs; liveness is judged by host and pid).
 */
export function parseOwner(owner: string): { host: string; pid: number } | null {
  const m = /^(.+):(\d+)(?::[\w-]+)?$/.exec(owner);
  return m ? { host: m[1], pid: Number(m[2]) } : null;
}

/** True unless the owner is known to be dead: a process of this host whose pid no longer exists. */
export function ownerAliveOnThisHost(owner: string): boolean {
  const o = parseOwner(owner);
  if (!o || o.host !== os.hostname()) return true; // another host's process: only its lease can tell
  if (o.pid === process.pid) return true;
  try {
    process.kill(o.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Removes only orphaned sandbox containers (label hiring.sandbox=1): those whose lease (the
 * hiring.expires-at label, set at creation to the run's deadline + grace, or a warm container's
 * idle limit + deadline + grace) has run out, or, without the label, older than the longest
 * allowed run; with `deadOwners`, also those whose owner process on this host is gone. A
 * container of a live run of any process (API publish check, `cli grade`, another worker) is
 * never removed: its lease outlives its run, and the runner kills its own run at the deadline.
 */
export async function reapOrphans(docker: Docker, options: ReapOptions = {}): Promise<{ removed: string[] }> {
  const now = (options.now ?? Date.now)();
  const maxAgeMs = options.maxAgeMs ?? LIMIT_BOUNDS.timeoutMs[1] + REAP_GRACE_MS;
  const alive = options.ownerAlive ?? ownerAliveOnThisHost;
  const labels = [`${SANDBOX_LABEL}=1`];
  if (options.owner) labels.push(`${OWNER_LABEL}=${options.owner}`);
  const containers = await docker.listContainers({ all: true, filters: { label: labels } });
  const removed: string[] = [];
  for (const c of containers) {
    const expiresAt = Number(c.Labels?.[EXPIRES_LABEL]);
    const expired = Number.isFinite(expiresAt) && expiresAt > 0 ? now > expiresAt : now - c.Created * 1000 > maxAgeMs;
    const owner = c.Labels?.[OWNER_LABEL];
    const orphaned = expired || (options.deadOwners === true && typeof owner === 'string' && !alive(owner));
    if (!orphaned) continue;
    try {
      await docker.getContainer(c.Id).remove({ force: true, v: true });
      removed.push(c.Id);
    } catch (e) {
      const status = (e as { statusCode?: number }).statusCode;
      if (status !== 404 && status !== 409) throw e;
    }
  }
  return { removed };
}
