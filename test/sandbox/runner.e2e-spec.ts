import { expectedImageTag } from '../../src/sandbox/image-builder';
import { SandboxImageError, SandboxRunner } from '../../src/sandbox/sandbox-runner';
import { WorkFile } from '../../src/sandbox/domain/work-files';
import { containersOfRun, docker, sandboxContainers } from './helpers/sandbox-test-kit';

const f = (path: string, text: string): WorkFile => ({ path, content: Buffer.from(text) });
const runner = new SandboxRunner(docker, { owner: `runner-spec-${process.pid}` });
/** A python submission whose one test passes (the warm-pool cases run it). */
const passingPython = {
  runtime: 'python',
  submission: [f('solution.py', 'def add(a, b):\n    return a + b\n')],
  tests: [f('test_add.py', 'from solution import add\n\ndef test_adds():\n    assert add(2, 3) == 5\n')],
};

/**
 * The running container a runner started ahead for its next run. A run starts it and returns without
 * waiting for it (the next run does), so right after a run it may not even be created yet: a loaded
 * engine's create and start take seconds.
 */
async function runningWarm(owner: string, runtime?: string, timeoutMs = 60_000): Promise<string> {
  const imageId = runtime ? (await docker.getImage(expectedImageTag(runtime)).inspect()).Id : undefined;
  const end = Date.now() + timeoutMs;
  for (;;) {
    const list = await docker.listContainers({ filters: { label: [`hiring.owner=${owner}`], status: ['running'] } });
    const warm = list.find((c) => c.Labels['hiring.run-id'].startsWith('warm-') && (!imageId || c.ImageID === imageId));
    if (warm) return warm.Id;
    if (Date.now() > end) throw new Error(`no warm container of ${owner} running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('SandboxRunner (real Docker engine)', () => {
  it('runs pytest on a python submission and reports each test', async () => {
    const result = await runner.run({
      runtime: 'python',
      runId: `py-basic-${process.pid}`,
      submission: [f('solution.py', 'def add(a, b):\n    return a + b\n')],
      tests: [
        f(
          'test_add.py',
          'from solution import add\n\ndef test_adds():\n    assert add(2, 3) == 5\n\ndef test_wrong():\n    assert add(2, 2) == 5\n',
        ),
      ],
    });
    expect(result.status).toBe('failed');
    expect(result.tests.map((t) => [t.name, t.status])).toEqual([
      ['test_adds', 'passed'],
      ['test_wrong', 'failed'],
    ]);
    expect(result.tests[1].message).toContain('assert 4 == 5');
    expect(result.counts).toEqual({ total: 2, passed: 1, failed: 1, errors: 0, skipped: 0 });
    expect(result.imageTag).toBe(expectedImageTag('python'));
    expect(result.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The staff log is pytest's own output, which also counts the host's control test (a canary
    // that must fail, removed from the counts above).
    expect(result.log).toContain('2 failed, 1 passed');
    expect(result.limits.memoryMb).toBe(256);
    // The container is removed after the result is returned; removal(runId) waits for it.
    await runner.removal(result.runId);
    expect(await containersOfRun(result.runId)).toEqual([]);
  });

  it('runs Jest on TypeScript and ES module code in the node sandbox', async () => {
    const result = await runner.run({
      runtime: 'node',
      submission: [
        f('src/greet.ts', 'export const greet = (name: string): string => `Hello, ${name}!`;\n'),
        f('util.js', 'export default function twice(x) { return x * 2; }\n'),
      ],
      tests: [
        f(
          'greet.test.ts',
          "import { greet } from './src/greet';\nimport twice from './util';\n\ntest('greets', () => expect(greet('Ada')).toBe('Hello, Ada!'));\ntest('doubles', () => expect(twice(21)).toBe(42));\n",
        ),
      ],
    });
    expect(result.status).toBe('passed');
    expect(result.tests.map((t) => [t.name, t.status, t.file])).toEqual([
      ['greets', 'passed', 'greet.test.ts'],
      ['doubles', 'passed', 'greet.test.ts'],
    ]);
    // Jest exits 1 because the host's control test (a canary that must fail) failed: the proof
    // that the run ended through the framework's own exit; the canary is not counted.
    expect(result.exitCode).toBe(1);
  });

  it('reports error with the log tail when the tests cannot even be collected', async () => {
    const result = await runner.run({
      runtime: 'python',
      submission: [f('solution.py', 'def broken(:\n')],
      tests: [f('test_x.py', 'from solution import broken\n\ndef test_x():\n    assert broken()\n')],
    });
    expect(result.status).toBe('failed');
    expect(result.tests[0].status).toBe('error');
    expect(result.tests[0].message).toContain('SyntaxError');
  });

  it('reports error when there are no tests at all', async () => {
    const result = await runner.run({ runtime: 'node', submission: [f('index.js', 'module.exports = 1;\n')], tests: [] });
    expect(result.status).toBe('error');
    expect(result.reason).toMatch(/no tests|no report/);
    expect(result.log).toContain('No tests found');
  });

  it('refuses to run any image but the expected tag, with a clear error', async () => {
    await expect(
      runner.run({ runtime: 'python', image: 'hiring-sandbox-python:deadbeefdeadbeef', submission: [], tests: [] }),
    ).rejects.toThrow(/Refusing to run image "hiring-sandbox-python:deadbeefdeadbeef".*must run "hiring-sandbox-python:[0-9a-f]{16}"/);
    await expect(runner.run({ runtime: 'python', image: 'python:3.11', submission: [], tests: [] })).rejects.toBeInstanceOf(
      SandboxImageError,
    );
    await expect(runner.run({ runtime: 'cobol', submission: [], tests: [] })).rejects.toThrow(/Unknown sandbox runtime "cobol"/);
  });

  it('creates containers with the hardened configuration', () => {
    const spec = runner.containerSpec(
      'sha256:x',
      'run-1',
      {
        timeoutMs: 10_000,
        memoryMb: 256,
        cpus: 1,
        pids: 64,
        outputBytes: 1 << 20,
        workDirMb: 64,
        tmpMb: 16,
        openFiles: 256,
        fileSizeMb: 64,
      },
      {},
      0,
      false,
      false,
      { mode: 'user', warm: false },
    );
    const hc = spec.HostConfig!;
    expect(hc).toMatchObject({
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Memory: 256 * 1024 * 1024,
      MemorySwap: 256 * 1024 * 1024,
      NanoCpus: 1e9,
      PidsLimit: 64,
      Privileged: false,
      Binds: [],
      Mounts: [],
      AutoRemove: false,
      LogConfig: { Type: 'none', Config: {} },
    });
    expect(hc.SecurityOpt!.join(' ')).not.toMatch(/unconfined/);
    expect(hc.Tmpfs!['/work']).toMatch(/^rw,nosuid,nodev,noexec,size=64m,.*uid=10001,gid=10001,mode=0700$/);
    expect(hc.Tmpfs!['/tmp']).toMatch(/size=16m/);
    expect(hc.Ulimits).toEqual(
      expect.arrayContaining([
        { Name: 'nofile', Soft: 256, Hard: 256 },
        { Name: 'fsize', Soft: 64 << 20, Hard: 64 << 20 },
      ]),
    );
    expect(spec.User).toBe('10001:10001');
    // The entry: the run itself, from the non-dumpable copies, under a hard bound (10 s + the reap grace).
    expect([...spec.Entrypoint!, ...spec.Cmd!]).toEqual([
      '/opt/sandbox/serve-timeout',
      '-s',
      'KILL',
      '70s',
      '/opt/sandbox/serve-sh',
      '/opt/sandbox/serve',
      'single',
      'cold',
    ]);
    expect(spec.Labels).toMatchObject({ 'hiring.sandbox': '1', 'hiring.run-id': 'run-1' });
    expect(spec.Env!.map((e) => e.split('=')[0]).sort()).toEqual(['CI', 'HOME', 'LANG', 'PATH', 'TMPDIR']);
  });

  it('with warm containers, a run uses one started ahead with the same hardened spec; close() leaves nothing behind', async () => {
    const owner = `runner-warm-spec-${process.pid}`;
    const warmRunner = new SandboxRunner(docker, { owner });
    warmRunner.keepWarm(1);
    try {
      const first = await warmRunner.run(passingPython); // none ready yet: creates its own, starts one for the next run
      const second = await warmRunner.run(passingPython);
      expect([first.warmContainer, second.warmContainer]).toEqual([false, true]);
      expect([first.status, second.status]).toEqual(['passed', 'passed']);
      // The one waiting for the next run is a sandbox like any other.
      await warmRunner.settled();
      const warmId = await runningWarm(owner);
      const waiting = await sandboxContainers(owner);
      expect(waiting).toEqual([warmId]);
      const info = await docker.getContainer(waiting[0]).inspect();
      expect(info.HostConfig).toMatchObject({
        NetworkMode: 'none',
        ReadonlyRootfs: true,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        Memory: 256 * 1024 * 1024,
      });
      // python is a split runtime: the container's user is root (for the run script's two users only).
      expect(info.Config.User).toBe('0:0');
      expect(Number(info.Config.Labels['hiring.expires-at'])).toBeGreaterThan(Date.now() + 10 * 60_000);
    } finally {
      await warmRunner.close();
    }
    expect(await sandboxContainers(owner)).toEqual([]);
  });

  it('asks a prestarted warm container for its warm-up run only while fewer runs than warmUpBelowRuns are under way, and its run then passes', async () => {
    const owner = `runner-warm-up-${process.pid}`;
    // As on a host with one CPU: no warm-up while a run is under way.
    const warmRunner = new SandboxRunner(docker, { owner, warmUpBelowRuns: 1 });
    warmRunner.keepWarm(1);
    const calc = f('calc.js', 'exports.add = (a, b) => a + b;\n');
    const slow = {
      runtime: 'node',
      submission: [calc],
      tests: [
        f(
          'calc.test.js',
          "const { add } = require('./calc');\ntest('adds, slowly', async () => {\n  await new Promise((r) => setTimeout(r, 7000));\n  expect(add(1, 2)).toBe(3);\n});\n",
        ),
      ],
    };
    const quick = {
      runtime: 'node',
      submission: [calc],
      tests: [f('calc.test.js', "const { add } = require('./calc');\ntest('adds', () => expect(add(1, 2)).toBe(3));\n")],
    };
    // The warm container (started for the next run) and how many warm-up folders its grader's Jest made.
    const warmOne = async () => {
      const list = await docker.listContainers({ filters: { label: [`hiring.owner=${owner}`], status: ['running'] } });
      return list.find((c) => c.Labels['hiring.run-id'].startsWith('warm-'))?.Id;
    };
    const warmUps = async (id: string) => {
      const exec = await docker.getContainer(id).exec({
        Cmd: ['sh', '-c', 'ls -d /tmp/grader/warmup-* 2>/dev/null | wc -l'],
        User: '10002:10002',
        AttachStdout: true,
        AttachStderr: true,
      });
      const stream = await exec.start({});
      const out = await new Promise<string>((resolve) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
      });
      return Number(/(\d+)\s*$/.exec(out)?.[1] ?? NaN);
    };
    try {
      const running = warmRunner.run(slow); // none ready: creates its own, starts one for the next run
      let firstEnded = false;
      void running.then(
        () => (firstEnded = true),
        () => (firstEnded = true),
      );
      // While that run is under way (as many as warmUpBelowRuns), the next one waits unwarmed. Its
      // start takes what the engine takes (seconds when loaded): looked for as long as the run lasts.
      let id: string | undefined;
      while (!id && !firstEnded) {
        id = await warmOne();
        if (!id) await new Promise((r) => setTimeout(r, 100));
      }
      expect(id).toBeDefined();
      await new Promise((r) => setTimeout(r, 1500)); // well past WARM_UP_QUIET_MS
      const duringRun = await warmUps(id!);
      const countedDuringRun = !firstEnded; // counted while the run was still under way
      const first = await running;
      expect(first.status).toBe('passed');
      // Once the runner is idle, it is asked, and does its warm-up run.
      let afterRun = 0;
      for (let i = 0; i < 120 && afterRun === 0; i++) {
        afterRun = await warmUps(id!);
        if (afterRun === 0) await new Promise((r) => setTimeout(r, 500));
      }
      expect({ duringRun, countedDuringRun, afterRun, firstMs: first.totalMs }).toEqual({
        duringRun: 0,
        countedDuringRun: true,
        afterRun: 1,
        firstMs: expect.any(Number),
      });
      const second = await warmRunner.run(quick);
      expect([second.warmContainer, second.status]).toEqual([true, 'passed']);
    } finally {
      await warmRunner.close();
    }
    expect(await sandboxContainers(owner)).toEqual([]);
  }, 180_000);

  it('a warm ruby container runs an RSpec suite whether or not it was asked for its warm-up (RSpec loaded then, or for the specs)', async () => {
    const stack = f(
      'lib/stack.rb',
      'class Stack\n  def initialize; @a = []; end\n  def push(x); @a.push(x); self; end\n  def size; @a.size; end\nend\n',
    );
    const specs = {
      runtime: 'ruby',
      submission: [stack],
      tests: [
        f(
          'spec/stack_spec.rb',
          "require 'stack'\n\nRSpec.describe Stack do\n  it 'counts' do\n    expect(Stack.new.push(1).size).to eq(1)\n  end\nend\n",
        ),
      ],
    };
    const minitest = {
      runtime: 'ruby',
      submission: [stack],
      tests: [
        f(
          'test/stack_test.rb',
          "require 'minitest/autorun'\nrequire 'stack'\n\nclass StackTest < Minitest::Test\n  def test_counts\n    assert_equal 1, Stack.new.push(1).size\n  end\nend\n",
        ),
      ],
    };
    // warmUpBelowRuns 0: never asked (as in a backlog); the default: asked once the runner is idle.
    for (const warmUpBelowRuns of [0, undefined]) {
      const owner = `runner-ruby-warm-${warmUpBelowRuns ?? 'idle'}-${process.pid}`;
      const warmRunner = new SandboxRunner(docker, { owner, warmUpBelowRuns });
      warmRunner.keepWarm(1);
      try {
        expect((await warmRunner.run(minitest)).status).toBe('passed'); // starts one for the next run
        await new Promise((r) => setTimeout(r, 2000));
        const run = await warmRunner.run(specs);
        expect({
          warm: run.warmContainer,
          status: run.status,
          tests: run.tests.map((t) => `${t.name}: ${t.status}`),
          log: run.log.slice(-2000),
        }).toEqual({
          warm: true,
          status: 'passed',
          tests: ['Stack counts: passed'],
          log: expect.any(String),
        });
        expect((await warmRunner.run(minitest)).status).toBe('passed');
      } finally {
        await warmRunner.close();
      }
      expect(await sandboxContainers(owner)).toEqual([]);
    }
  }, 180_000);

  it('a prestarted warm container whose main process ended underneath is not used; the run creates its own and passes', async () => {
    const owner = `runner-warm-gone-${process.pid}`;
    const warmRunner = new SandboxRunner(docker, { owner });
    warmRunner.keepWarm(1);
    try {
      await warmRunner.run(passingPython); // starts one for the next run
      await warmRunner.settled();
      const waiting = await runningWarm(owner);
      await docker.getContainer(waiting).kill(); // its hold ran out, a reaper elsewhere, the engine
      const next = await warmRunner.run(passingPython);
      expect(next.status).toBe('passed');
      expect(next.warmContainer).toBe(false);
    } finally {
      await warmRunner.close();
    }
    expect(await sandboxContainers(owner)).toEqual([]);
  });

  it('a prestarted container waits for the host after its report: it is ended by the removal, never exits on its own before the result is taken', async () => {
    // The engine forwards what a container wrote last only for about 2 s after it exits, which a
    // loaded machine exceeds: a container exiting right after its report could lose it, and the
    // candidate's grading would be an error. So the entry waits, and the removal (SIGKILL) ends it.
    const owner = `runner-drain-spec-${process.pid}`;
    const coldRunner = new SandboxRunner(docker, { owner });
    const since = Math.floor(Date.now() / 1000) - 1;
    try {
      for (const job of [
        passingPython,
        {
          ...passingPython,
          runtime: 'node',
          submission: [f('add.js', 'module.exports = (a, b) => a + b;\n')],
          tests: [f('add.test.js', "const add = require('./add');\ntest('adds', () => expect(add(2, 3)).toBe(5));\n")],
        },
        {
          ...passingPython,
          runtime: 'java',
          submission: [f('src/main/java/Add.java', 'public class Add {\n    public static int add(int a, int b) { return a + b; }\n}\n')],
          tests: [
            f(
              'src/test/java/AddTest.java',
              'import org.junit.jupiter.api.Test;\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\nclass AddTest {\n    @Test\n    void adds() { assertEquals(5, Add.add(2, 3)); }\n}\n',
            ),
          ],
        },
        {
          ...passingPython,
          runtime: 'cpp',
          submission: [f('add.h', 'int add(int a, int b);\n'), f('add.cpp', '#include "add.h"\nint add(int a, int b) { return a + b; }\n')],
          tests: [f('tests/add_test.cpp', '#include <gtest/gtest.h>\n#include "add.h"\nTEST(Add, Adds) { EXPECT_EQ(add(2, 3), 5); }\n')],
        },
      ]) {
        const result = await coldRunner.run(job);
        expect([job.runtime, result.status, result.counts.passed]).toEqual([job.runtime, 'passed', 1]);
        await coldRunner.removal(result.runId);
      }
    } finally {
      await coldRunner.close();
    }
    const stream = (await docker.getEvents({
      since,
      until: Math.ceil(Date.now() / 1000) + 1,
      filters: { type: ['container'], label: [`hiring.owner=${owner}`] },
    })) as unknown as NodeJS.ReadableStream;
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    const events = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { Action: string; Actor: { Attributes: { exitCode?: string } } });
    const exits = events.filter((e) => e.Action === 'die').map((e) => e.Actor.Attributes.exitCode);
    // 137: killed (by the removal); the runs' own exit code is 1 (the host's control test fails).
    expect(exits).toEqual(['137', '137', '137', '137']);
    // Every run's files went in through its entry's attach: no `docker exec` (until session 13,
    // java and cpp ran `run` through one, whose output the engine copies for a bounded time after
    // the script exits, and their containers' `sleep` entry died by the removal all the same).
    expect(events.filter((e) => e.Action.startsWith('exec_')).map((e) => e.Action)).toEqual([]);
  });

  it('a report larger than the cap ends the run at once as an error naming the cap, not as a timeout', async () => {
    // 900 passing tests whose names fill ~9 MB of JUnit XML (pytest -q prints a dot for each). Long
    // names, not many tests: 9,000 tests of 1,000 characters took pytest ~20 s of the 45 s on a
    // loaded machine (beside a compile, a timeout), for the same size of report.
    const big = await runner.run({
      runtime: 'python',
      limits: { timeoutMs: 45_000 },
      submission: [f('solution.py', 'def add(a, b):\n    return a + b\n')],
      tests: [
        f(
          'test_many.py',
          "import pytest\nfrom solution import add\n\n@pytest.mark.parametrize('i', range(900), ids=lambda i: str(i) + '-' + 'y' * 10000)\ndef test_adds(i):\n    assert add(i, 1) == i + 1\n",
        ),
      ],
    });
    expect(big.status).toBe('error');
    expect(big.log + JSON.stringify(big)).toContain('the test report is larger than');
    await runner.removal(big.runId);
  });

  it('go and rust prestart too: a warm container (its entry the run, asked for a warm-up it ignores) serves one graded run, split for go', async () => {
    const owner = `runner-warm-compiled-${process.pid}`;
    const warmRunner = new SandboxRunner(docker, { owner });
    warmRunner.keepWarm(1);
    const goRun = {
      runtime: 'go',
      submission: [f('calc.go', 'package calc\n\nfunc Add(a, b int) int { return a + b }\n')],
      tests: [
        f('go.mod', 'module example.com/calc\n\ngo 1.19\n'),
        f(
          'calc_test.go',
          'package calc\n\nimport "testing"\n\nfunc TestAdd(t *testing.T) {\n\tif Add(2, 3) != 5 {\n\t\tt.Fatal("2+3")\n\t}\n}\n',
        ),
      ],
    };
    const rustRun = {
      runtime: 'rust',
      submission: [f('src/lib.rs', 'pub fn add(a: u64, b: u64) -> u64 {\n    a + b\n}\n')],
      tests: [
        f('Cargo.toml', '[package]\nname = "calc"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'),
        f('tests/calc.rs', '#[test]\nfn adds() {\n    assert_eq!(calc::add(2, 3), 5);\n}\n'),
      ],
    };
    try {
      for (const input of [goRun, rustRun]) {
        const first = await warmRunner.run(input); // none ready: creates its own (a cold prestarted entry)
        const waiting = await runningWarm(owner, input.runtime); // (the go one refilled by go's second run waits too)
        await new Promise((r) => setTimeout(r, 1000)); // idle: the warm one is asked for its warm-up
        const info = await docker.getContainer(waiting).inspect();
        expect(info.Path).toBe('/opt/sandbox/serve-timeout');
        expect(info.Args.slice(-3)).toEqual(['/opt/sandbox/serve', input.runtime === 'go' ? 'split' : 'single', 'warm']);
        expect(info.HostConfig).toMatchObject({
          ReadonlyRootfs: true,
          CapDrop: ['ALL'],
          NetworkMode: 'none',
          SecurityOpt: ['no-new-privileges'],
        });
        const second = await warmRunner.run(input);
        const summary = (r: typeof first) => ({
          status: r.status,
          warm: r.warmContainer,
          names: r.tests.map((t) => t.name),
          log: r.log.slice(-1500),
        });
        expect([summary(first), summary(second)]).toEqual([
          { status: 'passed', warm: false, names: [input.runtime === 'go' ? 'TestAdd' : 'adds'], log: expect.any(String) },
          { status: 'passed', warm: true, names: [input.runtime === 'go' ? 'TestAdd' : 'adds'], log: expect.any(String) },
        ]);
        // The log ends with the tests' output, not the entry's end line.
        expect(second.log).not.toMatch(/sandbox-log-end/);
      }
    } finally {
      await warmRunner.close();
    }
    expect(await sandboxContainers(owner)).toEqual([]);
  }, 300_000);

  it('a warm container that stopped underneath (engine restart) is dropped and removed by pruneWarm; a live one is kept', async () => {
    const owner = `runner-warm-prune-${process.pid}`;
    const warmRunner = new SandboxRunner(docker, { owner });
    warmRunner.keepWarm(1);
    try {
      await warmRunner.run(passingPython); // starts one for the next run
      await warmRunner.settled();
      const alive = await runningWarm(owner);
      expect(await warmRunner.pruneWarm()).toBe(0); // running: kept
      expect(await sandboxContainers(owner)).toEqual([alive]);
      await docker.getContainer(alive).kill(); // as when the engine stops its containers
      expect(await warmRunner.pruneWarm()).toBe(1);
      await warmRunner.settled();
      expect(await sandboxContainers(owner)).toEqual([]);
      // The next run refills the pool and still runs.
      expect((await warmRunner.run(passingPython)).status).toBe('passed');
    } finally {
      await warmRunner.close();
    }
    expect(await sandboxContainers(owner)).toEqual([]);
  });
});
