import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { hostRustToolchain } from '../../src/sandbox/image-builder';
import { runInImage } from './helpers/sandbox-test-kit';

/**
 * The rust image carries cargo's probe of its toolchain (`rustc -vV` and the target's `--print`
 * queries, kept by cargo in <target dir>/.rustc_info.json), made when the image was built; the
 * runner copies it into the run's own target dir before the files arrive, so a run does not pay
 * for the probe. The copy is the run's own (the image's file is read-only), and a probe that does
 * not match the toolchain or the flags is only a cache miss: cargo probes again and the run passes.
 */
const leap = path.join(__dirname, 'corpus-langs/rust/leap');
const runLeapWith = (env: string[] = []) => runInImage('rust', runLeap, { src: leap, env: ['CARGO_LOG=cargo::util::rustc=debug', ...env] });

const runLeap = [
  'mkdir -p /work/code && cp -R /src/tests/. /src/solution/. /work/code/',
  'cd /work/code && /opt/runner/test >/dev/null 2>/tmp/err; echo "rc=$?"',
  // cargo's log of both steps: the first (the crate alone) is kept in /work/.run/alone.txt, the second is on stderr
  'cat /work/.run/alone.txt /tmp/err >/tmp/log',
  'echo "hits=$(grep -c "rustc info cache hit" /tmp/log) misses=$(grep -c "rustc info cache miss" /tmp/log)"',
  'echo "passed=$(grep -c "<testcase" /work/out/junit.xml) failed=$(grep -c "<failure\\|<error" /work/out/junit.xml)"',
  // The image's file is root's (the run cannot change it); the run's copy is its own, which cargo may rewrite on a miss.
  "echo \"seed=$(stat -c '%u %a' /opt/rust-seed/rustc_info.json) copy=$(stat -c '%u %a' /work/.run/target/.rustc_info.json)\"",
].join('\n');

describe("rust sandbox: cargo's toolchain probe made at build time", () => {
  it('is used by a run (no probe of rustc in the run), which passes; the image keeps its copy read-only', async () => {
    const out = await runLeapWith();
    expect(out).toMatch(/^rc=0$/m);
    expect(out).toMatch(/^hits=[1-9]\d* misses=0$/m);
    expect(out).toMatch(/^passed=5 failed=0$/m);
    expect(out).toMatch(/^seed=0 644 copy=10001 644$/m);
  }, 180_000);

  it('that does not match the run (other RUSTFLAGS) is a cache miss: cargo probes again and the run passes', async () => {
    const out = await runLeapWith(['RUSTFLAGS=-C overflow-checks=on']);
    expect(out).toMatch(/^rc=0$/m);
    expect(out).toMatch(/^hits=\d+ misses=[1-9]\d*$/m);
    expect(out).toMatch(/^passed=5 failed=0$/m);
  }, 180_000);
});

describe('rust sandbox: the toolchain', () => {
  // The image compiles with the machine's rustup toolchain when the building host has one (the
  // compiler bench/sandbox's host runs use), else with Debian's rustc-web.
  it("is the host's rustup rustc and cargo when the host has one, and a graded run with it passes", async () => {
    const tc = hostRustToolchain();
    const want = tc
      ? ['rustc', 'cargo'].map((t) => execFileSync(path.join(tc.dir, 'bin', t), ['-V'], { encoding: 'utf8' }).trim())
      : [/^rustc 1\.\d+\.\d+/, /^cargo 1\.\d+\.\d+/];
    const out = await runInImage('rust', `rustc -V; cargo -V; ${runLeap}`, { src: leap });
    const [rustc, cargo] = out.split('\n');
    for (const [got, w] of [
      [rustc, want[0]],
      [cargo, want[1]],
    ] as const)
      if (typeof w === 'string') expect(got).toBe(w);
      else expect(got).toMatch(w);
    expect(out).toMatch(/^rc=0$/m);
    expect(out).toMatch(/^passed=5 failed=0$/m);
  }, 180_000);
});
