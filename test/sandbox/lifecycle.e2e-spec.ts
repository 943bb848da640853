import { spawn } from 'node:child_process';
import { runtimeNames } from '../../src/sandbox/runtimes';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ArchiveError } from '../../src/sandbox/archive';
import { gradeLocal } from '../../src/sandbox/grade-local';
import { buildAllSandboxImages, expectedImageTag, runtimeImageHash } from '../../src/sandbox/image-builder';
import { reapOrphans } from '../../src/sandbox/reaper';
import { EXPIRES_LABEL, OWNER_LABEL, RUN_ID_LABEL, SANDBOX_LABEL } from '../../src/sandbox/sandbox-runner';
import { SandboxService } from '../../src/sandbox/sandbox.service';
import { buildTarGz } from './helpers/tar-writer';
import { buildZip } from './helpers/zip-writer';
import { docker, sandboxContainers } from './helpers/sandbox-test-kit';

const corpus = (...p: string[]) => path.join(__dirname, 'corpus', ...p);

describe('image builder', () => {
  it('skips every build when the tags exist (cached second build)', async () => {
    const started = Date.now();
    const images = await buildAllSandboxImages(docker);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(images.map((i) => [i.runtime, i.built])).toEqual(runtimeNames().map((r) => [r, false]));
    expect(runtimeNames()).toEqual(expect.arrayContaining(['node', 'python', 'java', 'go', 'ruby', 'rust', 'cpp', 'php']));
    for (const img of images) {
      expect(img.tag).toBe(expectedImageTag(img.runtime));
      expect(img.tag).toMatch(new RegExp(`^hiring-sandbox-${img.runtime}:[0-9a-f]{16}$`));
      const info = await docker.getImage(img.tag).inspect();
      expect(info.Config.Labels['hiring.sandbox.hash']).toBe(runtimeImageHash(img.runtime));
      expect(info.Config.User).toBe('10001:10001');
    }
  });
});

describe('reapOrphans', () => {
  const owner = `${os.hostname()}:${process.pid}:reaper-spec`;
  const make = async (expiresAt: number, by = owner) => {
    const c = await docker.createContainer({
      Image: expectedImageTag('python'),
      Entrypoint: ['sleep'],
      Cmd: ['300'],
      Labels: { [SANDBOX_LABEL]: '1', [RUN_ID_LABEL]: `reap-${expiresAt}`, [OWNER_LABEL]: by, [EXPIRES_LABEL]: String(expiresAt) },
      HostConfig: { NetworkMode: 'none', ReadonlyRootfs: true, CapDrop: ['ALL'], LogConfig: { Type: 'none', Config: {} } },
    });
    await c.start();
    return c.id;
  };
  afterAll(async () => {
    for (const id of await sandboxContainers(owner)) await docker.getContainer(id).remove({ force: true });
  });

  it("removes only orphans: an expired lease, or (deadOwners) a dead owner process on this host; a live owner's unexpired run is never touched", async () => {
    const expired = await make(Date.now() - 1000);
    const live = await make(Date.now() + 600_000);
    const first = await reapOrphans(docker, { owner });
    expect(first.removed).toEqual([expired]);
    expect(await sandboxContainers(owner)).toEqual([live]);
    // A worker starting up reaps with deadOwners: this process is alive, so its run stays.
    expect((await reapOrphans(docker, { owner, deadOwners: true })).removed).toEqual([]);
    expect(await sandboxContainers(owner)).toEqual([live]);
    // A container whose owner process has exited is an orphan even before its lease ends.
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.once('exit', r));
    const deadOwner = `${os.hostname()}:${child.pid}:gone`;
    const orphan = await make(Date.now() + 600_000, deadOwner);
    try {
      expect((await reapOrphans(docker, { owner: deadOwner })).removed).toEqual([]);
      expect((await reapOrphans(docker, { owner: deadOwner, deadOwners: true })).removed).toEqual([orphan]);
    } finally {
      await docker
        .getContainer(orphan)
        .remove({ force: true })
        .catch(() => undefined);
    }
    expect(await sandboxContainers(owner)).toEqual([live]);
  });
});

describe('gradeLocal', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grade-local-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('grades a zipped submission (one top folder) against a tests folder', async () => {
    const zip = path.join(dir, 'submission.zip');
    writeFileSync(
      zip,
      buildZip([
        { name: 'my-answer/' },
        {
          name: 'my-answer/fizzbuzz.py',
          data: "def fizzbuzz(n):\n    return 'FizzBuzz' if n % 15 == 0 else 'Fizz' if n % 3 == 0 else 'Buzz' if n % 5 == 0 else str(n)\n",
        },
      ]),
    );
    const result = await gradeLocal({ runtime: 'python', testsPath: corpus('python', 'fizzbuzz', 'tests'), submissionPath: zip });
    expect(result.status).toBe('passed');
    expect(result.counts).toMatchObject({ total: 5, passed: 5 });
  });

  it('grades folders, with limits, and refuses a hostile archive with its code', async () => {
    const result = await gradeLocal({
      runtime: 'node',
      testsPath: corpus('node', 'stats-commonjs', 'tests'),
      submissionPath: corpus('node', 'stats-commonjs', 'partial'),
      limits: { timeoutMs: 30_000, memoryMb: 384 },
    });
    expect(result.status).toBe('failed');
    expect(result.limits.memoryMb).toBe(384);
    const evil = path.join(dir, 'evil.tar.gz');
    writeFileSync(
      evil,
      await buildTarGz([
        { name: 'stats.js', data: 'x' },
        { name: 'link', type: 'symlink', linkname: '/etc/shadow' },
      ]),
    );
    await expect(
      gradeLocal({ runtime: 'node', testsPath: corpus('node', 'stats-commonjs', 'tests'), submissionPath: evil }),
    ).rejects.toMatchObject({
      code: 'link_entry',
    });
    await expect(gradeLocal({ runtime: 'node', testsPath: path.join(dir, 'missing'), submissionPath: evil })).rejects.toBeInstanceOf(
      ArchiveError,
    );
  });
});

describe('SandboxService', () => {
  it('pings the engine and runs tests', async () => {
    const service = new SandboxService(docker);
    expect(await service.ping()).toBe(true);
    const result = await service.runTests({
      runtime: 'python',
      submission: [{ path: 'a.py', content: Buffer.from('X = 1\n') }],
      tests: [{ path: 'test_a.py', content: Buffer.from('from a import X\n\ndef test_x():\n    assert X == 1\n') }],
    });
    expect(result.status).toBe('passed');
    service.startReaper(60_000);
    service.onModuleDestroy();
  });
});
