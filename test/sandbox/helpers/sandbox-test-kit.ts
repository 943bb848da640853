import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { readDirectory } from '../../../src/sandbox/archive';
import { WorkFile } from '../../../src/sandbox/domain/work-files';
import { expectedImageTag } from '../../../src/sandbox/image-builder';
import { RUN_ID_LABEL, SANDBOX_LABEL } from '../../../src/sandbox/sandbox-runner';

export { runOnHost } from '../../../src/sandbox/host-runner';
export type { HostRun } from '../../../src/sandbox/host-runner';

export const docker = new Docker({ socketPath: '/var/run/docker.sock' });

export async function filesOf(dir: string): Promise<WorkFile[]> {
  if (!existsSync(dir)) return [];
  return (await readDirectory(dir)).files;
}

/** Containers carrying our label for one run (must be none once runner.removal(runId) resolved). */
export async function containersOfRun(runId: string): Promise<string[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${SANDBOX_LABEL}=1`, `${RUN_ID_LABEL}=${runId}`] } });
  return list.map((c) => c.Id);
}

export async function sandboxContainers(owner?: string): Promise<string[]> {
  const labels = [`${SANDBOX_LABEL}=1`];
  if (owner) labels.push(`hiring.owner=${owner}`);
  const list = await docker.listContainers({ all: true, filters: { label: labels } });
  return list.map((c) => c.Id);
}

/** Runs async jobs with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return out;
}

export const listDirs = (dir: string) =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name).sort() : [];

export const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;


/**
 * A bash script in a runtime's image as the sandbox user, hardened like a run (read-only root, no
 * network, no capabilities, the two tmpfs), with `src` mounted read-only at /src; its stdout.
 */
export function runInImage(runtime: string, script: string, opts: { src: string; env?: string[] }): Promise<string> {
  const env = ['HOME=/tmp', ...(opts.env ?? [])];
  return new Promise<string>((resolve, reject) =>
    execFile(
      'docker',
      [
        'run',
        '--rm',
        '--read-only',
        '--network',
        'none',
        '--cap-drop',
        'ALL',
        '--user',
        '10001:10001',
        '--tmpfs',
        '/work:rw,exec,uid=10001,gid=10001,mode=0700',
        '--tmpfs',
        '/tmp:rw,noexec,uid=10001,gid=10001,mode=0700',
        ...env.flatMap((e) => ['-e', e]),
        '-v',
        `${opts.src}:/src:ro`,
        '--entrypoint',
        'bash',
        expectedImageTag(runtime),
        '-c',
        script,
      ],
      { timeout: 120_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
    ),
  );
}
