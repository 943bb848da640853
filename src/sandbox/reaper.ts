import type Docker from 'dockerode';
import { EXPIRES_LABEL, OWNER_LABEL, REAP_GRACE_MS, SANDBOX_LABEL } from './sandbox-runner';
import { LIMIT_BOUNDS } from './domain/limits';

export interface ReapOptions {
  /** Remove every sandbox container regardless of age (at worker start: nothing can be running). */
  all?: boolean;
  /** Only containers whose hiring.owner label has this value. */
  owner?: string;
  /** Age after which a container without an expiry label is removed (default: longest run + grace). */
  maxAgeMs?: number;
  now?: () => number;
}

/**
 * Removes sandbox containers (label hiring.sandbox=1) that outlived their run: past their
 * hiring.expires-at label, or older than the longest allowed run when the label is missing.
 * The worker calls it with { all: true } at start (one worker per Docker engine) and on a timer.
 */
export async function reapOrphans(docker: Docker, options: ReapOptions = {}): Promise<{ removed: string[] }> {
  const now = (options.now ?? Date.now)();
  const maxAgeMs = options.maxAgeMs ?? LIMIT_BOUNDS.timeoutMs[1] + REAP_GRACE_MS;
  const labels = [`${SANDBOX_LABEL}=1`];
  if (options.owner) labels.push(`${OWNER_LABEL}=${options.owner}`);
  const containers = await docker.listContainers({ all: true, filters: { label: labels } });
  const removed: string[] = [];
  for (const c of containers) {
    const expiresAt = Number(c.Labels?.[EXPIRES_LABEL]);
    const expired = Number.isFinite(expiresAt) && expiresAt > 0 ? now > expiresAt : now - c.Created * 1000 > maxAgeMs;
    if (!options.all && !expired) continue;
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
