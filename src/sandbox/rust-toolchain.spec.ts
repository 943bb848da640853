import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { clearImageHashCache, hostRustToolchain } from './image-builder';

/** Which of a rustup toolchain the rust image takes, and that another toolchain is another image. */
describe('hostRustToolchain', () => {
  let home: string;
  let tc: string;
  const put = (rel: string, text = rel) => {
    mkdirSync(path.dirname(path.join(tc, rel)), { recursive: true });
    writeFileSync(path.join(tc, rel), text);
  };
  beforeEach(() => {
    clearImageHashCache();
    home = mkdtempSync(path.join(os.tmpdir(), 'rust-tc-'));
    tc = path.join(home, 'toolchains', 'stable-x86_64-unknown-linux-gnu');
    for (const f of [
      'bin/rustc',
      'bin/cargo',
      'bin/rustdoc',
      'bin/rustfmt',
      'bin/cargo-clippy',
      'lib/librustc_driver-1.so',
      'lib/libLLVM.so.22.1-rust',
    ])
      put(f);
    put('lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd-1.rlib');
    put('lib/rustlib/x86_64-unknown-linux-gnu/lib/librustc-stable_rt.asan.a');
    put('lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld');
    put('lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld/ld.lld');
    put('share/doc/rust/html/index.html');
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it("takes the compiler, cargo, rustdoc, their libraries, the target's standard library and linker; not docs, clippy, rustfmt or sanitizers", () => {
    const found = hostRustToolchain({ RUSTUP_HOME: home });
    expect(found?.dir).toBe(tc);
    expect(found?.files.sort()).toEqual(
      [
        'bin/cargo',
        'bin/rustc',
        'bin/rustdoc',
        'lib/libLLVM.so.22.1-rust',
        'lib/librustc_driver-1.so',
        'lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld/ld.lld',
        'lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld',
        'lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd-1.rlib',
      ].sort(),
    );
  });

  it('gives another stamp (so another image tag) when a file of the toolchain changes', () => {
    const before = hostRustToolchain({ RUSTUP_HOME: home })!.stamp;
    put('lib/librustc_driver-1.so', 'a newer driver');
    utimesSync(path.join(tc, 'lib/librustc_driver-1.so'), new Date(), new Date(Date.now() + 60_000));
    clearImageHashCache();
    expect(hostRustToolchain({ RUSTUP_HOME: home })!.stamp).not.toBe(before);
  });

  it("is none without a rustup toolchain or when Debian's is asked for; a named folder that is not one is an error", () => {
    expect(hostRustToolchain({ RUSTUP_HOME: path.join(home, 'nothing-here') })).toBeNull();
    expect(hostRustToolchain({ RUSTUP_HOME: home, SANDBOX_RUST_TOOLCHAIN: 'debian' })).toBeNull();
    expect(() => hostRustToolchain({ SANDBOX_RUST_TOOLCHAIN: path.join(home, 'nothing-here') })).toThrow(/no rustup toolchain there/);
    expect(hostRustToolchain({ SANDBOX_RUST_TOOLCHAIN: tc })?.dir).toBe(tc);
  });
});
