import * as path from 'node:path';
import { runInImage } from './helpers/sandbox-test-kit';

/**
 * The go image's build cache is read-only in a run (the root file system is). go 1.19 also keeps
 * an index of every package folder whose files are all older than 2 s in that cache and failed the
 * build when it could not write it ("open /opt/go-cache/...: read-only file system"): a run whose
 * files were unpacked (they keep the host's packing time) or copied more than 2 s before the go
 * command read them, as on a loaded machine, ended `error`. The runner dates the module's files
 * ahead, so the go command never indexes them.
 */
describe('go sandbox: files older than 2 s', () => {
  it("build and pass with the image's read-only build cache", async () => {
    const leap = path.join(__dirname, 'corpus-langs/go/leap');
    const script = [
      'mkdir -p /work/code && cp /src/tests/* /src/solution/* /work/code/',
      'touch -d "-1 hour" /work/code/*',
      'cd /work/code && /opt/runner/test >/dev/null 2>/tmp/err; echo "rc=$?"',
      'tail -c 400 /tmp/err; grep -c "<testcase" /work/out/junit.xml',
    ].join('\n');
    const out = await runInImage('go', script, { src: leap, env: ['GOFLAGS=-mod=mod'] });
    expect(out).toMatch(/^rc=0\n/);
    expect(out).not.toMatch(/read-only file system/);
    expect(out).toMatch(/\n6\n$/);
  }, 180_000);
});
