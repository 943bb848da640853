import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Docker from 'dockerode';
import { sandboxesDir } from './paths';
import { getRuntime, RuntimeDefinition, runtimeNames } from './runtimes';
import { packDirectories } from './tar';

/**
 * Builds the sandbox images without any container registry. Each image is tagged
 * `hiring-sandbox-<runtime>:<hash>` where the hash covers the runtime's folder, the shared
 * `sandboxes/prestart/` entry and the base image's inputs; a build is skipped when the tag exists.
 */

export type BuildLog = (line: string) => void;

export interface BuiltImage {
  runtime: string;
  tag: string;
  imageId: string;
  built: boolean;
  seconds: number;
}

const HASH_LEN = 16;
const IGNORED = (rel: string) =>
  rel.split('/').some((s) => s === 'node_modules' || s === '__pycache__' || s === '.DS_Store' || s === '.git') || rel.endsWith('.pyc');

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    if (IGNORED(r)) continue;
    const st = statSync(path.join(dir, r));
    if (st.isDirectory()) out.push(...listFiles(dir, r));
    else if (st.isFile()) out.push(r);
  }
  return out;
}

function hashFolder(h: ReturnType<typeof createHash>, dir: string, label: string): void {
  for (const rel of listFiles(dir)) {
    const abs = path.join(dir, rel);
    const exec = statSync(abs).mode & 0o111 ? 'x' : '-';
    h.update(`${label}/${rel}\0${exec}\0`);
    h.update(createHash('sha256').update(readFileSync(abs)).digest('hex'));
    h.update('\n');
  }
}

const hashes = new Map<string, string>();

/** Hash of the base image's inputs (sandboxes/base). */
export function baseImageHash(): string {
  const key = 'base';
  if (!hashes.has(key)) {
    const h = createHash('sha256');
    hashFolder(h, path.join(sandboxesDir(), 'base'), 'base');
    hashes.set(key, h.digest('hex'));
  }
  return hashes.get(key)!;
}

/**
 * Hash of a runtime image's inputs: its folder, sandboxes/prestart (every container's entry) and
 * the base. Like the Debian packages a build installs, rust's toolchain (hostRustToolchain) is not
 * part of it: the tag must be the same in every process (the API and workers may run without the
 * building host's rustup, e.g. under docker compose); the image's `hiring.sandbox.rust-toolchain`
 * label says which one it took, and a build on a host whose toolchain changed makes it again.
 */
export function runtimeImageHash(runtime: string): string {
  getRuntime(runtime); // (an unknown runtime is refused)
  if (!hashes.has(runtime)) {
    const h = createHash('sha256');
    h.update(`base:${baseImageHash()}\n`);
    hashFolder(h, path.join(sandboxesDir(), 'prestart'), 'prestart');
    hashFolder(h, path.join(sandboxesDir(), runtime), runtime);
    hashes.set(runtime, h.digest('hex'));
  }
  return hashes.get(runtime)!;
}

/** A rustup toolchain of this host, as much of it as the rust image takes (see hostRustToolchain). */
export interface RustToolchain {
  /** The toolchain's folder (it holds bin/rustc). */
  dir: string;
  /** The files the image takes, relative to `dir`. */
  files: string[];
  /** Hash of those files' paths, sizes, dates and modes (the image's `hiring.sandbox.rust-toolchain` label). */
  stamp: string;
}

const RUST_TARGET = 'x86_64-unknown-linux-gnu';

/**
 * The toolchain the rust image compiles with: the host's own rustup toolchain (stable, the machine's
 * `rustc` and `cargo`, the one bench/sandbox's host runs use) when there is one, else null and the
 * image installs Debian's rustc-web. The image takes its rustc, cargo, rustdoc, their libraries
 * (rustc's driver and LLVM), the standard library of the x86_64 Linux target and rust-lld; not the
 * docs, clippy, rustfmt or the sanitizers' runtimes. Debian's rustc compiled and linked a small
 * crate with ~40% more CPU than rustup's (no PGO, and LLVM, z3, ICU and libxml2 loaded by each start).
 * SANDBOX_RUST_TOOLCHAIN: `debian` for Debian's, or the folder of another rustup toolchain.
 */
export function hostRustToolchain(
  env: NodeJS.ProcessEnv = process.env,
  host: { platform: string; arch: string } = process,
): RustToolchain | null {
  const asked = env.SANDBOX_RUST_TOOLCHAIN;
  if (asked === 'debian') return null;
  if (!asked && (host.platform !== 'linux' || host.arch !== 'x64')) return null;
  const rustupHome = env.RUSTUP_HOME || path.join(env.HOME || os.homedir(), '.rustup');
  const dir = asked || path.join(rustupHome, 'toolchains', `stable-${RUST_TARGET}`);
  const key = `rust-toolchain:${dir}`;
  const known = toolchains.get(key);
  if (known !== undefined) return known;
  const sysLib = `lib/rustlib/${RUST_TARGET}/lib`;
  const found = ['bin/rustc', 'bin/cargo', 'bin/rustdoc', sysLib].every((f) => existsSync(path.join(dir, f)));
  if (!found) {
    if (asked) throw new Error(`SANDBOX_RUST_TOOLCHAIN=${asked}: no rustup toolchain there (bin/rustc, bin/cargo, bin/rustdoc, ${sysLib})`);
    toolchains.set(key, null);
    return null;
  }
  const files = ['bin/cargo', 'bin/rustc', 'bin/rustdoc'];
  for (const e of readdirSync(path.join(dir, 'lib'), { withFileTypes: true }))
    if (e.isFile() || e.isSymbolicLink()) files.push(`lib/${e.name}`);
  // the standard library (rlibs, their metadata, libstd's .so), without the sanitizers' runtimes (*_rt.*.a)
  for (const f of listFiles(path.join(dir, sysLib))) if (!/_rt\.[a-z]+\.a$/.test(f)) files.push(`${sysLib}/${f}`);
  // rust-lld and the gcc-ld/ld.lld wrapper cc runs it through (the default linker of rustup's x86_64 Linux toolchain)
  const binDir = `lib/rustlib/${RUST_TARGET}/bin`;
  if (existsSync(path.join(dir, binDir))) for (const f of listFiles(path.join(dir, binDir))) files.push(`${binDir}/${f}`);
  const h = createHash('sha256');
  for (const f of files) {
    const st = lstatSync(path.join(dir, f));
    // a link would reach the image as a link to a path of this host
    if (!st.isFile()) throw new Error(`rust toolchain ${dir}: ${f} is not a regular file (links are not copied into the image)`);
    h.update(`${f}\0${st.size}\0${Math.floor(st.mtimeMs)}\0${st.mode & 0o111 ? 'x' : '-'}\n`);
  }
  const tc = { dir, files, stamp: h.digest('hex') };
  toolchains.set(key, tc);
  return tc;
}

const toolchains = new Map<string, RustToolchain | null>();

/** The image's `hiring.sandbox.rust-toolchain` label for a toolchain (hostRustToolchain's answer). */
export const rustToolchainLabel = (toolchain: RustToolchain | null): string => (toolchain ? `rustup:${toolchain.stamp}` : 'debian');

/**
 * Whether an existing rust image must be made again: only when this process has a say and it
 * differs from the image's label. A host with a rustup toolchain (or SANDBOX_RUST_TOOLCHAIN set)
 * has one; a process with neither (a worker in a container) takes the image as it is, so two
 * processes never rebuild it back and forth.
 */
export function rustImageStale(label: string | undefined, toolchain: RustToolchain | null, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!toolchain && !env.SANDBOX_RUST_TOOLCHAIN) return false;
  return label !== rustToolchainLabel(toolchain);
}

/** Forget computed hashes (after the sandboxes/ folder changed in a long-lived process). */
export function clearImageHashCache(): void {
  hashes.clear();
  toolchains.clear();
}

export const baseImageTag = (): string => `hiring-sandbox-base:${baseImageHash().slice(0, HASH_LEN)}`;

/** The only image tag the runner accepts for `runtime`. */
export function expectedImageTag(runtime: string): string {
  return `hiring-sandbox-${runtime}:${runtimeImageHash(runtime).slice(0, HASH_LEN)}`;
}

export async function imageExists(docker: Docker, tag: string): Promise<string | null> {
  return (await imageInfo(docker, tag))?.id ?? null;
}

/** The image's id and labels, or null when the tag does not exist. */
async function imageInfo(docker: Docker, tag: string): Promise<{ id: string; labels: Record<string, string> } | null> {
  try {
    const info = await docker.getImage(tag).inspect();
    return { id: info.Id, labels: info.Config?.Labels ?? {} };
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return null;
    throw e;
  }
}

/** Makes the debootstrap base image unless its tag exists (sandboxes/base/build-base.sh). */
export async function ensureBaseImage(docker: Docker, log: BuildLog = () => {}): Promise<BuiltImage> {
  const tag = baseImageTag();
  const started = Date.now();
  const existing = await imageExists(docker, tag);
  if (existing) return { runtime: 'base', tag, imageId: existing, built: false, seconds: 0 };
  log(`building base image ${tag} (debootstrap; a minute or two)`);
  await runProcess('bash', [path.join(sandboxesDir(), 'base', 'build-base.sh'), tag], log);
  const id = await imageExists(docker, tag);
  if (!id) throw new Error(`base image ${tag} was not created`);
  return { runtime: 'base', tag, imageId: id, built: true, seconds: (Date.now() - started) / 1000 };
}

/** Builds one runtime image unless `expectedImageTag(runtime)` exists. */
export async function buildSandboxImage(docker: Docker, runtime: string, log: BuildLog = () => {}): Promise<BuiltImage> {
  const def = getRuntime(runtime);
  const tag = expectedImageTag(runtime);
  const started = Date.now();
  // rust: the host's rustup toolchain, when there is one, goes into toolchain/ (beside the folder's own toolchain/README.md)
  const toolchain = runtime === 'rust' ? hostRustToolchain() : null;
  const found = await imageInfo(docker, tag);
  const existing = found?.id ?? null;
  let replaced: string | null = null;
  if (found && runtime === 'rust') {
    const label = found.labels['hiring.sandbox.rust-toolchain'];
    if (rustImageStale(label, toolchain)) {
      log(`${tag} was made with another rust toolchain (${label ?? 'unknown'}): making it again with ${rustToolchainLabel(toolchain)}`);
      replaced = existing;
    }
  }
  if (existing && !replaced) {
    log(`${tag} is up to date`);
    return { runtime, tag, imageId: existing, built: false, seconds: 0 };
  }
  const base = await ensureBaseImage(docker, log);
  log(`building ${tag}`);
  const dir = path.join(sandboxesDir(), runtime);
  const sources = [
    { dir: path.join(sandboxesDir(), 'prestart'), prefix: 'prestart' },
    { dir, prefix: '' },
  ];
  if (def.prepare === 'npm-ci-runner') {
    sources.push({ dir: await ensureRunnerModules(def, log), prefix: 'runner/node_modules' });
  }
  const keep = new Set<string>();
  if (toolchain) {
    log(`rust: the image takes the host's toolchain ${toolchain.dir}`);
    sources.push({ dir: toolchain.dir, prefix: 'toolchain' });
    for (const f of toolchain.files) for (let p = `toolchain/${f}`; p !== 'toolchain'; p = path.posix.dirname(p)) keep.add(p);
  }
  const context = packDirectories(sources, (rel) => {
    if (toolchain && rel.startsWith('toolchain/') && !existsSync(path.join(dir, rel))) return !keep.has(rel);
    return !rel.startsWith('runner/node_modules/') && IGNORED(rel);
  });
  const stream = await docker.buildImage(
    context as unknown as NodeJS.ReadableStream,
    {
      t: tag,
      // rust: rustup's toolchain links with its own rust-lld (its default, as the host's runs do); Debian's with mold
      buildargs: { BASE_IMAGE: base.tag, ...(runtime === 'rust' ? { RUST_LINK_FLAGS: toolchain ? '' : '-C link-arg=-fuse-ld=mold' } : {}) },
      labels: {
        'hiring.sandbox.runtime': runtime,
        'hiring.sandbox.hash': runtimeImageHash(runtime),
        ...(runtime === 'rust' ? { 'hiring.sandbox.rust-toolchain': rustToolchainLabel(toolchain) } : {}),
      },
      rm: true,
      forcerm: true,
      // RUN steps (apt-get over plain HTTP, the node image's warm-up run) use the host's network:
      // nothing but our own Dockerfiles runs there, and the default bridge (docker0) is not always
      // present on these machines ("could not find bridge docker0").
      networkmode: 'host',
    } as Docker.ImageBuildOptions,
  );
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, output: Array<{ error?: string; errorDetail?: { message?: string } }>) => {
        const failed = err ?? output.find((o) => o.error);
        if (failed) reject(new Error(`building ${tag} failed: ${err ? err.message : (failed as { error: string }).error}`));
        else resolve();
      },
      (event: { stream?: string; status?: string }) => {
        const line = (event.stream ?? event.status ?? '').trimEnd();
        if (line) log(line);
      },
    );
  });
  const id = await imageExists(docker, tag);
  if (!id) throw new Error(`building ${tag} produced no image`);
  // The image the tag left (containers still using it keep it: then it stays, untagged).
  if (replaced && replaced !== id)
    await docker
      .getImage(replaced)
      .remove()
      .catch(() => undefined);
  const seconds = (Date.now() - started) / 1000;
  log(`built ${tag} in ${seconds.toFixed(1)} s`);
  return { runtime, tag, imageId: id, built: true, seconds };
}

/**
 * How many runtime images build at once: SANDBOX_BUILD_CONCURRENCY, else half the CPUs (at least
 * one, at most three). Each build is mostly apt downloads and dpkg unpacking, one core each.
 */
export function buildConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const asked = Number(env.SANDBOX_BUILD_CONCURRENCY);
  if (Number.isInteger(asked) && asked >= 1 && asked <= 16) return asked;
  return Math.max(1, Math.min(3, Math.floor(os.cpus().length / 2)));
}

/**
 * Builds every registered runtime image that is missing (or only `runtimes`), the base image
 * first if needed, then up to buildConcurrency() runtime images at once. Results are in the
 * order asked; a failed build fails the call after the others have finished.
 */
export async function buildAllSandboxImages(
  docker: Docker,
  log: BuildLog = () => {},
  runtimes: string[] = runtimeNames(),
  concurrency = buildConcurrency(),
): Promise<BuiltImage[]> {
  for (const r of runtimes) getRuntime(r);
  const missing: string[] = [];
  for (const r of runtimes) if (!(await imageExists(docker, expectedImageTag(r)))) missing.push(r);
  if (missing.length) await ensureBaseImage(docker, log);
  const results = new Map<string, PromiseSettledResult<BuiltImage>>();
  const queue = [...runtimes];
  const worker = async () => {
    for (let r = queue.shift(); r !== undefined; r = queue.shift()) {
      const name = r;
      const prefixed: BuildLog = missing.length > 1 ? (line) => log(`${name}: ${line}`) : log;
      results.set(
        name,
        await buildSandboxImage(docker, name, prefixed).then(
          (value) => ({ status: 'fulfilled' as const, value }),
          (reason: unknown) => ({ status: 'rejected' as const, reason }),
        ),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, missing.length || 1)) }, worker));
  const failed = runtimes.map((r) => results.get(r)!).find((x) => x.status === 'rejected') as PromiseRejectedResult | undefined;
  if (failed) throw failed.reason;
  return runtimes.map((r) => (results.get(r) as PromiseFulfilledResult<BuiltImage>).value);
}

/**
 * `npm ci` of a runtime's runner (sandboxes/<runtime>/runner) on the host, cached by lockfile hash
 * under the OS temp folder. Returns the node_modules folder. Also used to run the same Jest on
 * the host for comparisons.
 */
export async function ensureRunnerModules(def: RuntimeDefinition, log: BuildLog = () => {}): Promise<string> {
  const runnerDir = path.join(sandboxesDir(), def.name, 'runner');
  const lock = readFileSync(path.join(runnerDir, 'package-lock.json'));
  const pkg = readFileSync(path.join(runnerDir, 'package.json'));
  const key = createHash('sha256').update(pkg).update(lock).digest('hex').slice(0, HASH_LEN);
  const cacheRoot = process.env.SANDBOX_BUILD_CACHE ?? path.join(os.tmpdir(), 'hiring-sandbox-build-cache');
  const target = path.join(cacheRoot, `${def.name}-runner-${key}`);
  const modules = path.join(target, 'node_modules');
  if (existsSync(path.join(target, '.complete'))) return modules;
  // Several processes (api, worker, a CI clone) may build at once: each installs into its own
  // staging folder, marks it complete, then publishes it with an atomic rename. A complete
  // target is never modified, so a build context being read from it stays intact.
  const staging = `${target}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(staging, { recursive: true });
  try {
    copyFileSync(path.join(runnerDir, 'package.json'), path.join(staging, 'package.json'));
    copyFileSync(path.join(runnerDir, 'package-lock.json'), path.join(staging, 'package-lock.json'));
    log(`npm ci for the ${def.name} runner (from its lockfile, on the host)`);
    await runProcess('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], log, staging);
    // .bin holds symlinks the image never uses.
    rmSync(path.join(staging, 'node_modules', '.bin'), { recursive: true, force: true });
    copyFileSync(path.join(staging, 'package.json'), path.join(staging, '.complete'));
    if (existsSync(path.join(target, '.complete'))) return modules; // another process won
    if (existsSync(target)) renameSync(target, `${target}.stale-${process.pid}-${Date.now()}`);
    try {
      renameSync(staging, target);
    } catch (e) {
      if (!existsSync(path.join(target, '.complete'))) throw e;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return modules;
}

function runProcess(cmd: string, args: string[], log: BuildLog, cwd?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const onData = (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        if (!line.trim()) continue;
        log(line);
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${tail.join('\n')}`)),
    );
  });
}

/**
 * Removes sandbox images (hiring-sandbox-*) whose tag is no longer the expected one, e.g. after
 * sandboxes/ changed. Not automatic: a worker still running older code may need its image.
 */
export async function pruneOldSandboxImages(docker: Docker, log: BuildLog = () => {}): Promise<string[]> {
  const keep = new Set([baseImageTag(), ...runtimeNames().map((r) => expectedImageTag(r))]);
  const removed: string[] = [];
  for (const img of await docker.listImages()) {
    for (const tag of img.RepoTags ?? []) {
      if (!/^hiring-sandbox-[a-z0-9-]+:/.test(tag) || keep.has(tag)) continue;
      try {
        await docker.getImage(tag).remove();
        removed.push(tag);
        log(`removed old sandbox image ${tag}`);
      } catch (e) {
        log(`could not remove ${tag}: ${(e as Error).message}`);
      }
    }
  }
  return removed;
}
