import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { symlinkSync } from 'node:fs';
import { clearImageHashCache, hostRustToolchain, runtimeImageHash, rustImageStale, rustToolchainLabel } from './image-builder';

/** Which of a rustup toolchain the rust image takes, and when an existing rust image is made again. */
const linux = { platform: 'linux', arch: 'x64' };

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
    const found = hostRustToolchain({ RUSTUP_HOME: home }, linux);
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

  it('makes the image again on a host whose toolchain changed; a process without one takes it as it is', () => {
    const before = hostRustToolchain({ RUSTUP_HOME: home }, linux);
    const label = rustToolchainLabel(before);
    expect(rustImageStale(label, before, {})).toBe(false);
    put('lib/librustc_driver-1.so', 'a newer driver');
    utimesSync(path.join(tc, 'lib/librustc_driver-1.so'), new Date(), new Date(Date.now() + 60_000));
    clearImageHashCache();
    const after = hostRustToolchain({ RUSTUP_HOME: home }, linux);
    expect(after!.stamp).not.toBe(before!.stamp);
    expect(rustImageStale(label, after, {})).toBe(true);
    // a worker in a container (no rustup, nothing asked): the image as the host made it
    expect(rustImageStale(label, null, {})).toBe(false);
    // Debian's asked for explicitly: a rustup image is made again, a Debian one is kept
    expect(rustImageStale(label, null, { SANDBOX_RUST_TOOLCHAIN: 'debian' })).toBe(true);
    expect(rustImageStale('debian', null, { SANDBOX_RUST_TOOLCHAIN: 'debian' })).toBe(false);
  });

  it("gives the rust image the same tag whatever the process's toolchain (API, workers and builder agree)", () => {
    const saved = { ...process.env };
    try {
      process.env.RUSTUP_HOME = home;
      delete process.env.SANDBOX_RUST_TOOLCHAIN;
      clearImageHashCache();
      const withRustup = runtimeImageHash('rust');
      process.env.SANDBOX_RUST_TOOLCHAIN = 'debian';
      clearImageHashCache();
      expect(runtimeImageHash('rust')).toBe(withRustup);
    } finally {
      process.env = saved;
      clearImageHashCache();
    }
  });

  it('refuses a toolchain holding a link (it would reach the image as a path of this host)', () => {
    rmSync(path.join(tc, 'lib/librustc_driver-1.so'));
    symlinkSync('/usr/lib/some-host-library.so', path.join(tc, 'lib/librustc_driver-1.so'));
    expect(() => hostRustToolchain({ RUSTUP_HOME: home }, linux)).toThrow(/not a regular file/);
  });

  it('looks for no rustup toolchain on another platform unless one is named', () => {
    expect(hostRustToolchain({ RUSTUP_HOME: home }, { platform: 'darwin', arch: 'arm64' })).toBeNull();
    expect(hostRustToolchain({ SANDBOX_RUST_TOOLCHAIN: tc }, { platform: 'darwin', arch: 'arm64' })?.dir).toBe(tc);
  });

  it("is none without a rustup toolchain or when Debian's is asked for; a named folder that is not one is an error", () => {
    expect(hostRustToolchain({ RUSTUP_HOME: path.join(home, 'nothing-here') }, linux)).toBeNull();
    expect(hostRustToolchain({ RUSTUP_HOME: home, SANDBOX_RUST_TOOLCHAIN: 'debian' }, linux)).toBeNull();
    expect(() => hostRustToolchain({ SANDBOX_RUST_TOOLCHAIN: path.join(home, 'nothing-here') }, linux)).toThrow(
      /no rustup toolchain there/,
    );
    expect(hostRustToolchain({ SANDBOX_RUST_TOOLCHAIN: tc }, linux)?.dir).toBe(tc);
  });
});
