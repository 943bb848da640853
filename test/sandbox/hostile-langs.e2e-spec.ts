import { WorkFile } from '../../src/sandbox/domain/work-files';
import { SandboxResult, SandboxRunner } from '../../src/sandbox/sandbox-runner';
import { containersOfRun, docker, mapLimit } from './helpers/sandbox-test-kit';

/**
 * The hostile cases that apply to the six compiled-or-scripted runtimes (java, go, ruby, rust,
 * cpp, php): an endless loop, a memory bomb, an output flood, a connection out, a disk fill and a
 * fork bomb, each in the submission behind a hidden test written the ecosystem's way. The run
 * must end with the status that names the problem (or a plain failure where the language's own
 * runtime stops itself first, as the JVM's heap limit does), within its deadline, leaving no
 * container behind; go, rust and cpp also execute binaries from the work dir (exec tmpfs).
 */
type Behaviour = 'spin' | 'memory' | 'flood' | 'network' | 'disk' | 'fork';

const f = (path: string, text: string): WorkFile => ({ path, content: Buffer.from(text) });

/** Per runtime: the hidden test (calls solve() and expects 42) and the solution body doing `b`. */
const RUNTIME_CASES: Record<string, { tests: WorkFile[]; solution: (b: Behaviour) => WorkFile[] }> = {
  go: {
    tests: [
      f('go.mod', 'module hostile\n\ngo 1.19\n'),
      f(
        'solve_test.go',
        'package hostile\n\nimport "testing"\n\nfunc TestSolve(t *testing.T) {\n\tif Solve() != 42 {\n\t\tt.Fatal("not 42")\n\t}\n}\n',
      ),
    ],
    solution: (b) => [
      f(
        'solve.go',
        `package hostile\n\nimport (\n\t"fmt"\n\t"net"\n\t"os"\n\t"os/exec"\n\t"time"\n)\n\nvar _ = fmt.Sprint\nvar _ = net.Dial\nvar _ = os.Exit\nvar _ = exec.Command\nvar _ = time.Second\n\nfunc Solve() int {\n${
          {
            spin: '\tfor {\n\t}\n',
            memory:
              '\tvar keep [][]byte\n\tfor {\n\t\tb := make([]byte, 64<<20)\n\t\tfor i := range b {\n\t\t\tb[i] = 1\n\t\t}\n\t\tkeep = append(keep, b)\n\t}\n',
            flood: '\tfor {\n\t\tfmt.Println("flood flood flood flood flood flood flood flood flood flood flood flood")\n\t}\n',
            network:
              '\tc, err := net.DialTimeout("tcp", "1.1.1.1:80", 3*time.Second)\n\tif err == nil {\n\t\tc.Close()\n\t\treturn 0\n\t}\n\treturn 42\n',
            disk: '\tf, _ := os.Create("/work/fill")\n\tbuf := make([]byte, 1<<20)\n\tfor i := 0; i < 4096; i++ {\n\t\tif _, err := f.Write(buf); err != nil {\n\t\t\treturn 1\n\t\t}\n\t}\n\treturn 42\n',
            fork: '\tfor {\n\t\t_ = exec.Command("/bin/sh", "-c", "sleep 600").Start()\n\t}\n',
          }[b]
        }}\n`,
      ),
    ],
  },
  rust: {
    tests: [
      f('Cargo.toml', '[package]\nname = "hostile"\nversion = "0.1.0"\nedition = "2021"\n'),
      f('tests/solve.rs', '#[test]\nfn solve_is_42() {\n    assert_eq!(hostile::solve(), 42);\n}\n'),
    ],
    solution: (b) => [
      f(
        'src/lib.rs',
        `#[allow(unreachable_code, unused)]\npub fn solve() -> u64 {\n${
          {
            spin: '    let mut i: u64 = 1;\n    loop { i = i.wrapping_mul(3); if i == 0 { println!("never"); } }\n',
            memory: '    let mut keep: Vec<Vec<u8>> = Vec::new();\n    loop { keep.push(vec![1u8; 64 << 20]); }\n',
            flood: '    loop { println!("flood flood flood flood flood flood flood flood flood flood flood flood"); }\n',
            network:
              '    match std::net::TcpStream::connect_timeout(&"1.1.1.1:80".parse().unwrap(), std::time::Duration::from_secs(3)) { Ok(_) => 0, Err(_) => 42 }\n',
            disk: '    use std::io::Write;\n    let mut f = std::fs::File::create("/work/fill").unwrap();\n    let buf = vec![0u8; 1 << 20];\n    for _ in 0..4096 { if f.write_all(&buf).is_err() { return 1; } }\n    42\n',
            fork: '    loop { let _ = std::process::Command::new("/bin/sh").arg("-c").arg("sleep 600").spawn(); }\n',
          }[b]
        }}\n`,
      ),
    ],
  },
  cpp: {
    tests: [
      f('tests/test_solve.cpp', '#include <gtest/gtest.h>\n#include "solve.hpp"\n\nTEST(Solve, IsFortyTwo) { EXPECT_EQ(solve(), 42); }\n'),
    ],
    solution: (b) => [
      f('solve.hpp', 'int solve();\n'),
      f(
        'solve.cpp',
        `#include "solve.hpp"\n#include <cstdio>\n#include <cstring>\n#include <vector>\n#include <unistd.h>\n#include <arpa/inet.h>\n#include <sys/socket.h>\n\nint solve() {\n${
          {
            spin: '  volatile unsigned long i = 0;\n  for (;;) ++i;\n',
            memory:
              '  std::vector<char*> keep;\n  for (;;) { char* p = new char[64 << 20]; std::memset(p, 1, 64 << 20); keep.push_back(p); }\n',
            flood: '  for (;;) std::puts("flood flood flood flood flood flood flood flood flood flood flood flood");\n',
            network:
              '  int s = socket(AF_INET, SOCK_STREAM, 0);\n  sockaddr_in a{};\n  a.sin_family = AF_INET;\n  a.sin_port = htons(80);\n  inet_pton(AF_INET, "1.1.1.1", &a.sin_addr);\n  return connect(s, (sockaddr*)&a, sizeof a) == 0 ? 0 : 42;\n',
            disk: '  FILE* f = std::fopen("/work/fill", "w");\n  static char buf[1 << 20];\n  for (int i = 0; i < 4096; ++i) if (std::fwrite(buf, 1, sizeof buf, f) != sizeof buf) return 1;\n  return 42;\n',
            fork: '  for (;;) fork();\n',
          }[b]
        }  return 42;\n}\n`,
      ),
    ],
  },
  java: {
    tests: [
      f(
        'src/test/java/hostile/SolveTest.java',
        'package hostile;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\nimport org.junit.jupiter.api.Test;\n\nclass SolveTest {\n    @Test\n    void isFortyTwo() throws Exception {\n        assertEquals(42, Solver.solve());\n    }\n}\n',
      ),
    ],
    solution: (b) => [
      f(
        'src/main/java/hostile/Solver.java',
        `package hostile;\n\npublic class Solver {\n    public static int solve() throws Exception {\n${
          {
            spin: '        long i = 0;\n        while (true) i++;\n',
            memory:
              '        java.util.List<byte[]> keep = new java.util.ArrayList<>();\n        while (true) keep.add(new byte[64 << 20]);\n',
            flood: '        while (true) System.out.println("flood flood flood flood flood flood flood flood flood flood flood flood");\n',
            network:
              '        try (java.net.Socket s = new java.net.Socket()) {\n            s.connect(new java.net.InetSocketAddress("1.1.1.1", 80), 3000);\n            return 0;\n        } catch (java.io.IOException e) {\n            return 42;\n        }\n',
            disk: '        try (java.io.FileOutputStream out = new java.io.FileOutputStream("/work/fill")) {\n            byte[] buf = new byte[1 << 20];\n            for (int i = 0; i < 4096; i++) out.write(buf);\n        } catch (java.io.IOException e) {\n            return 1;\n        }\n        return 42;\n',
            fork: '        while (true) new ProcessBuilder("/bin/sh", "-c", "sleep 600").start();\n',
          }[b]
        }    }\n}\n`,
      ),
    ],
  },
  ruby: {
    tests: [
      f(
        'test/solve_test.rb',
        "require 'minitest/autorun'\nrequire 'solve'\n\nclass SolveTest < Minitest::Test\n  def test_solve\n    assert_equal 42, solve\n  end\nend\n",
      ),
    ],
    solution: (b) => [
      f(
        'lib/solve.rb',
        `require 'socket'\n\ndef solve\n${
          {
            spin: '  i = 0\n  loop { i += 1 }\n',
            memory: "  keep = []\n  loop { keep << ('x' * (64 << 20)) }\n",
            flood: "  loop { puts 'flood flood flood flood flood flood flood flood flood flood flood flood' }\n",
            network: "  Socket.tcp('1.1.1.1', 80, connect_timeout: 3) { return 0 }\nrescue StandardError, SocketError\n  42\n",
            disk: "  File.open('/work/fill', 'wb') { |io| 4096.times { io.write(\"\\0\" * (1 << 20)) } }\n  42\nrescue SystemCallError\n  1\n",
            fork: '  loop { fork { sleep 600 } rescue nil }\n',
          }[b]
        }end\n`,
      ),
    ],
  },
  php: {
    tests: [
      f(
        'tests/SolveTest.php',
        "<?php\n\nuse PHPUnit\\Framework\\TestCase;\n\nrequire_once __DIR__ . '/../src/solve.php';\n\nfinal class SolveTest extends TestCase\n{\n    public function testSolve(): void\n    {\n        $this->assertSame(42, solve());\n    }\n}\n",
      ),
    ],
    solution: (b) => [
      f(
        'src/solve.php',
        `<?php\n\nfunction solve(): int\n{\n${
          {
            spin: '    $i = 0;\n    while (true) { $i++; }\n',
            memory: "    $keep = [];\n    while (true) { $keep[] = str_repeat('x', 64 << 20); }\n",
            flood: '    while (true) { echo "flood flood flood flood flood flood flood flood flood flood flood flood\\n"; }\n',
            network: "    $s = @fsockopen('1.1.1.1', 80, $errno, $errstr, 3);\n    return $s === false ? 42 : 0;\n",
            disk: "    $f = fopen('/work/fill', 'wb');\n    $buf = str_repeat(\"\\0\", 1 << 20);\n    for ($i = 0; $i < 4096; $i++) { if (@fwrite($f, $buf) !== strlen($buf)) { return 1; } }\n    return 42;\n",
            fork: "    while (true) { @proc_open('sleep 600 &', [], $pipes); }\n",
          }[b]
        }}\n`,
      ),
    ],
  },
};

/** What each behaviour must end as (alternatives where the language stops itself first). */
const EXPECT: Record<Behaviour, string[]> = {
  spin: ['timeout'],
  // failed/error: the JVM's own heap limit (OutOfMemoryError) can stop the run before the kernel does
  memory: ['memory_exceeded', 'failed', 'error'],
  // rust: libtest captures a test's output in memory, so the flood meets the memory cap first
  flood: ['output_exceeded', 'memory_exceeded'],
  network: ['passed'], // the test passes only when the connection failed
  // error: a full work dir leaves no room for the report ("the test run wrote no report")
  disk: ['failed', 'memory_exceeded', 'error'],
  fork: ['timeout', 'failed', 'error'],
};
/** Where a runtime's own test runner stops the behaviour first. */
const EXPECT_BY_RUNTIME: Record<string, Partial<Record<Behaviour, string[]>>> = {
  // CTest kills a test after its own per-test timeout (60 s) and keeps only the end of its output:
  // an endless loop or an output flood ends as that test failing with "Timeout".
  // CTest also keeps a test's output in memory, so a flood can meet the memory cap first.
  cpp: { spin: ['timeout', 'failed'], flood: ['output_exceeded', 'failed', 'memory_exceeded'] },
};
// The deadline of these runs: compile time on a loaded 2-core machine included.
const TIMEOUT_MS = 240_000;
// Endless loops: long enough for the build to finish first here, so the tests themselves time out.
// (Interpreted runtimes have no build: a short deadline proves the kill just as well.)
const SPIN_MS: Record<string, number> = { go: 60_000, ruby: 20_000, php: 20_000, java: 90_000, rust: 120_000, cpp: 150_000 };

const BEHAVIOURS: Behaviour[] = ['spin', 'memory', 'flood', 'network', 'disk', 'fork'];
const runtimes = (process.env.SANDBOX_HOSTILE_LANGS ?? 'go,rust,cpp,java,ruby,php').split(',').filter((r) => r in RUNTIME_CASES);
const cases = runtimes.flatMap((runtime) => BEHAVIOURS.map((behaviour) => ({ runtime, behaviour })));
const runner = new SandboxRunner(docker, { owner: `hostile-langs-${process.pid}` });
const results = new Map<string, { result: SandboxResult; leftovers: string[] }>();

beforeAll(async () => {
  await mapLimit(cases, 2, async ({ runtime, behaviour }) => {
    const runId = `hostile-${runtime}-${behaviour}-${process.pid}`;
    const def = RUNTIME_CASES[runtime];
    const result = await runner.run({
      runtime,
      runId,
      tests: def.tests,
      submission: def.solution(behaviour),
      limits: { timeoutMs: behaviour === 'spin' || behaviour === 'fork' ? SPIN_MS[runtime] : TIMEOUT_MS },
    });
    await runner.removal(runId);
    results.set(`${runtime}/${behaviour}`, { result, leftovers: await containersOfRun(runId) });
    if (process.env.SANDBOX_TEST_TIMINGS)
      process.stderr.write(`  hostile ${runtime}/${behaviour}: ${result.status} in ${result.totalMs} ms\n`);
  });
}, 3_600_000);

afterAll(() => runner.settled());

describe.each(runtimes)('%s', (runtime) => {
  it.each(BEHAVIOURS)('%s', (behaviour) => {
    const o = results.get(`${runtime}/${behaviour}`);
    expect(o).toBeDefined();
    const { result, leftovers } = o!;
    const context = `${result.status} (${result.reason ?? ''}) ${result.tests.map((t) => `${t.name}: ${t.status} ${t.message ?? ''}`).join('; ')}\n${result.log.slice(-1500)}`;
    const allowed = EXPECT_BY_RUNTIME[runtime]?.[behaviour] ?? EXPECT[behaviour];
    expect({ status: allowed.includes(result.status) ? 'as expected' : result.status, context }).toEqual({
      status: 'as expected',
      context,
    });
    // failed by ctest's timeout, or (flood) by ctest itself stopped at the file-size limit while
    // writing what it captured: which comes first depends on how fast the machine floods
    if (runtime === 'cpp' && (behaviour === 'spin' || behaviour === 'flood') && result.status === 'failed')
      expect(`${result.tests[0]?.message ?? ''}\n${result.log}`).toMatch(
        behaviour === 'flood' ? /Timeout|File size limit exceeded/ : /Timeout/,
      );
    expect(leftovers).toEqual([]);
    if (behaviour === 'network') expect(result.counts).toMatchObject({ total: 1, passed: 1 });
    if (behaviour === 'flood' && result.status === 'output_exceeded') expect(result.logTruncated).toBe(true);
    if (behaviour === 'disk' || behaviour === 'memory') expect(result.counts.passed).toBe(0);
    expect(result.totalMs).toBeLessThan(result.limits.timeoutMs + 60_000);
  });
});
