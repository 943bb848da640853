import type Docker from 'dockerode';
import { PREFERRED_OCI_RUNTIME, SandboxRunner } from '../../src/sandbox/sandbox-runner';
import { WorkFile } from '../../src/sandbox/domain/work-files';
import { docker, sandboxContainers } from './helpers/sandbox-test-kit';

const f = (path: string, text: string): WorkFile => ({ path, content: Buffer.from(text) });
/** A python submission whose one test passes. */
const passingPython = {
  runtime: 'python',
  submission: [f('solution.py', 'def add(a, b):\n    return a + b\n')],
  tests: [f('test_add.py', 'from solution import add\n\ndef test_adds():\n    assert add(2, 3) == 5\n')],
};

/**
 * Runs once with a warm pool of one, then returns the HostConfig of the container left waiting
 * for the next run (a sandbox like any other) and the runner's log lines; removes everything.
 */
async function runAndInspectWaiting(engine: Docker, options: { ociRuntime?: string }, tag: string) {
  const owner = `oci-${tag}-${process.pid}`;
  const logs: string[] = [];
  const runner = new SandboxRunner(engine, { owner, ...options, log: (m) => logs.push(m) });
  runner.keepWarm(1);
  try {
    const first = await runner.run(passingPython);
    expect(first.status).toBe('passed');
    await runner.settled();
    const waiting = await sandboxContainers(owner);
    expect(waiting).toHaveLength(1); // the probe (auto) is gone
    const info = await docker.getContainer(waiting[0]).inspect();
    const second = await runner.run(passingPython); // the warm one: its run passes too
    expect([second.status, second.warmContainer]).toEqual(['passed', true]);
    return { hostConfig: info.HostConfig, logs };
  } finally {
    await runner.close();
    expect(await sandboxContainers(owner)).toEqual([]);
  }
}

const hardened = {
  NetworkMode: 'none',
  ReadonlyRootfs: true,
  CapDrop: ['ALL'],
  SecurityOpt: ['no-new-privileges'],
  Privileged: false,
  Memory: 256 * 1024 * 1024,
  MemorySwap: 256 * 1024 * 1024,
};

describe('the OCI runtime of sandbox containers', () => {
  it('auto: crun, registered with the engine by scripts/setup.sh, runs the containers with the same hardened spec', async () => {
    const info = (await docker.info()) as { Runtimes?: Record<string, unknown> };
    expect(Object.keys(info.Runtimes ?? {})).toContain(PREFERRED_OCI_RUNTIME);
    const { hostConfig, logs } = await runAndInspectWaiting(docker, {}, 'auto');
    expect(hostConfig).toMatchObject({ ...hardened, Runtime: 'crun' });
    expect(logs).toEqual([]);
  });

  it('SANDBOX_OCI_RUNTIME=runc: runc, whatever the engine has', async () => {
    const { hostConfig, logs } = await runAndInspectWaiting(docker, { ociRuntime: 'runc' }, 'runc');
    expect(hostConfig).toMatchObject({ ...hardened, Runtime: 'runc' });
    expect(logs).toEqual([]);
  });

  it('auto, an engine without crun: its default runtime, with a log line', async () => {
    const noCrun = Object.create(docker) as Docker;
    noCrun.info = async () => {
      const real = (await docker.info()) as { Runtimes: Record<string, unknown> };
      const { crun: _crun, ...others } = real.Runtimes;
      return { ...real, Runtimes: others };
    };
    const { hostConfig, logs } = await runAndInspectWaiting(noCrun, {}, 'nocrun');
    expect(hostConfig).toMatchObject({ ...hardened, Runtime: 'runc' });
    expect(logs).toEqual([expect.stringMatching(/no crun runtime registered; sandbox containers use the engine's default runtime \(runc\)/)]);
  });

  it('auto, crun registered but unable to start a container: the probe fails and the engine default runs them, with a log line', async () => {
    // The engine refuses every container asked of "crun" (as when crun cannot run on the host's cgroup layout).
    const broken = Object.create(docker) as Docker;
    broken.createContainer = (opts: Docker.ContainerCreateOptions) =>
      docker.createContainer(
        opts.HostConfig?.Runtime === 'crun' ? { ...opts, HostConfig: { ...opts.HostConfig, Runtime: 'crun-that-fails' } } : opts,
      );
    const { hostConfig, logs } = await runAndInspectWaiting(broken, {}, 'broken');
    expect(hostConfig).toMatchObject({ ...hardened, Runtime: 'runc' });
    expect(logs).toEqual([expect.stringMatching(/the crun runtime could not start a sandbox container; sandbox containers use the engine's default runtime/)]);
  });
});
