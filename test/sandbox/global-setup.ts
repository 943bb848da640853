import Docker from 'dockerode';
import { buildAllSandboxImages } from '../../src/sandbox/image-builder';
import { reapOrphans } from '../../src/sandbox/reaper';

/**
 * Sandbox test project set-up: builds the runtime images when their tag is missing (first time
 * from scratch: a few minutes; afterwards a hash check per runtime) and removes expired
 * sandbox containers left by an earlier interrupted run.
 */
export default async function globalSetup(): Promise<void> {
  const docker = new Docker({ socketPath: '/var/run/docker.sock' });
  await docker.ping().catch(() => {
    throw new Error('The sandbox tests need a Docker engine at /var/run/docker.sock (start dockerd)');
  });
  const started = Date.now();
  const verbose = process.env.SANDBOX_BUILD_VERBOSE === '1';
  const images = await buildAllSandboxImages(docker, (line) => {
    if (verbose || /^(building|built|npm ci)/.test(line)) process.stderr.write(`  [sandbox:build] ${line}\n`);
  });
  const built = images.filter((i) => i.built);
  process.stderr.write(
    `\n  sandbox images ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${images.map((i) => `${i.tag}${i.built ? ' (built)' : ''}`).join(', ')}\n`,
  );
  if (built.length === 0) await reapOrphans(docker);
}
