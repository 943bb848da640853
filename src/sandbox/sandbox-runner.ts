import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import * as os from 'node:os';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { recordStep, timed } from '../common/timing/step-times';
import { CappedBuffer, MuxStreamReader, TailBuffer } from './docker-stream';
import { countTests, decideStatus, JUnitParseError, parseJUnitXml, RunFacts, RunStatus, TestCaseResult, TestCounts } from './domain/junit';
import { addCanaries, checkCanaries } from './domain/integrity';
import { resolveLimits, SandboxLimits } from './domain/limits';
import { declaredChannelBytes, logEndLine, parseRunChannel } from './domain/run-channel';
import { planWorkFiles, WorkFile, WorkFilesPlan } from './domain/work-files';
import { expectedImageTag, runtimeImageHash } from './image-builder';
import { getRuntime, SANDBOX_GID, SANDBOX_GRADER_UID, SANDBOX_PATHS, SANDBOX_UID, SPLIT_TESTS_PREFIX } from './runtimes';
import { isSingleEntryTar, packFiles, readSingleRegularFile } from './tar';

export const SANDBOX_LABEL = 'hiring.sandbox';
export const RUN_ID_LABEL = 'hiring.run-id';
export const OWNER_LABEL = 'hiring.owner';
export const EXPIRES_LABEL = 'hiring.expires-at';

/** How long past its deadline a sandbox container may exist before the reaper removes it. */
export const REAP_GRACE_MS = 60_000;
/** How long a warm container (see SandboxRunner.keepWarm) may wait for a run before it is dropped. */
export const WARM_IDLE_MS = 10 * 60_000;
/**
 * A prestarted container's warm-up (see SandboxRunner.keepWarm) is asked for once no run of this
 * runner started or ended for this long and a CPU is free of runs: a backlog never pays for one.
 */
export const WARM_UP_QUIET_MS = 400;

interface WarmSlot {
  /** Its hiring.run-id label (a run that takes it keeps its own run id for the result). */
  runId: string;
  createdAt: number;
  /** Resolves once started; null when it could not be started. */
  container: Promise<Started | null>;
  /** Set once started (what `container` resolves to). */
  ready?: Started;
  /** Whether the host has asked it for its warm-up run yet. */
  warmUpAsked?: boolean;
}

interface Started {
  container: Docker.Container;
  /** The attach of its main process (stdin: the files; stdout/stderr: the run); null when the attach failed. */
  stream: Duplex | null;
  /** The attach ended or failed: the main process exited (killed, its hold ran out, the engine stopped it). */
  streamEnded?: boolean;
}

/** How long a runtime's image check (resolveImage's inspect) is reused by the runs that follow. */
export const IMAGE_CHECK_TTL_MS = 30_000;

/** user: one user, the container's (10001); root: a split runtime's run without hidden tests (drops to 10001); split: two users. */
type RunMode = 'user' | 'root' | 'split';

/** What a container runs as its entry (sandboxes/prestart/serve). */
export interface PrestartEntry {
  mode: RunMode;
  /** Started ahead of its run (a warm-up run of the image's own suite before it waits). */
  warm: boolean;
}

const REPORT_MAX_BYTES = 8 * 1024 * 1024;

export interface SandboxRunInput {
  runtime: string;
  /** The candidate's files (already validated by archive.ts). */
  submission: readonly WorkFile[];
  /** The assignment version's hidden tests; written after the submission, over it. */
  tests: readonly WorkFile[];
  limits?: Partial<SandboxLimits>;
  /** Correlates logs and the container label; random when absent. */
  runId?: string;
  /** When given, must equal expectedImageTag(runtime) or the run is refused. */
  image?: string;
  /**
   * Keep the submission's own test files (the runtime's testFilePattern) in the run. Default
   * false: a graded run holds only the hidden tests, so a submitted test file can neither be
   * counted nor run before the hidden ones (to rewrite or read them). The candidate's own tests
   * run apart with `tests: []` and this set (see GradingService).
   */
  includeSubmissionTests?: boolean;
  /**
   * Split a run with hidden tests in two users where the runtime supports it (default true; see
   * RuntimeDefinition.split). false: the whole run as the sandbox user, in the runtime's usual
   * container (the hostile suite uses it: its tests probe the sandbox from inside the tests).
   */
  split?: boolean;
}

export interface SandboxResult {
  runId: string;
  runtime: string;
  status: RunStatus;
  /** Why the status is not `passed`, in one line. */
  reason: string | null;
  tests: TestCaseResult[];
  counts: TestCounts;
  /** Wall time of the test run inside the sandbox (unpacking included). */
  durationMs: number;
  /** Wall time including container create/start/remove. */
  totalMs: number;
  /** Where the time went; the container's removal happens after the result (see settled()). */
  phases: SandboxPhases;
  /** The run used a container started ahead of time (see SandboxRunner.keepWarm). */
  warmContainer: boolean;
  exitCode: number | null;
  /** Tail of stdout+stderr (interleaved as they arrived). */
  log: string;
  logTruncated: boolean;
  /** Bytes the tests printed (stdout and stderr together), counted against limits.outputBytes. */
  outputBytes: number;
  oomKills: number;
  imageTag: string;
  imageId: string;
  limits: SandboxLimits;
  /** Submission files not written (runner configuration, replaced by a hidden test...). */
  droppedFiles: WorkFilesPlan['dropped'];
  /**
   * What the host's own checks of the report found (see domain/integrity.ts): how many control
   * tests it added, and why the report cannot be trusted (then status `error`, reason `tampered: …`).
   */
  integrity: { canaries: number; problems: string[] };
}

export type SandboxImageErrorCode = 'image_missing' | 'image_mismatch';

export class SandboxImageError extends Error {
  constructor(
    readonly code: SandboxImageErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SandboxRunnerOptions {
  /** Value of the hiring.owner label (default host:pid:random), to tell this process's containers apart (see reaper.ts). */
  owner?: string;
  /** Bytes of log tail kept in a result (default 64 KiB). */
  logTailBytes?: number;
  log?: (message: string, meta?: Record<string, unknown>) => void;
  /** Called when a run's container has been removed (after its result was returned). */
  onRemoved?: (runId: string, ms: number) => void;
  /**
   * A prestarted warm container is asked for its warm-up run only while fewer runs than this are
   * under way (default: the host's CPU count, so a warm-up takes a CPU no run needs).
   */
  warmUpBelowRuns?: number;
}

interface ExecOutcome {
  killedFor?: 'timeout' | 'output_exceeded';
  exitCode: number | null;
  durationMs: number;
  outputBytes?: number;
  /** The run script's stdout: facts line + report tar. */
  channel: Buffer;
  channelOverflowed: boolean;
}

/** Where the time of one run went (ms). */
export interface SandboxPhases {
  /** Image check and packing the files (in parallel). */
  prepare: number;
  create: number;
  /** Starting the container, or waiting for a warm one to be ready. */
  start: number;
  /** Files in to result, through the entry's attach: unpack + tests + kill leftovers + report out. */
  exec: number;
  /** Inside the sandbox, as the run script measured it (null when it did not finish). */
  unpack: number | null;
  tests: number | null;
  /** Parsing the report (or, after a kill, waiting for the container to stop). */
  report: number;
}

/**
 * Runs hidden tests against a submission in one hardened container per run.
 *
 * Docker (20.10 here) cannot putArchive/getArchive into a tmpfs mount of a read-only-root
 * container, so files move through the attach of its entry instead: `/opt/sandbox/serve`
 * (sandboxes/prestart/serve) starts the runtime's test runner before the files exist, reads the
 * tar on its stdin, runs the fixed test command (its output on stderr, attached and capped) and,
 * once the tests are dead, writes a facts line and the report as a tar on stdout, accepted only as
 * a regular file. The container is removed after the result is returned (settled() waits for that).
 */
export class SandboxRunner {
  private readonly owner: string;
  /** Container removals still under way, by run id. */
  private readonly removals = new Map<string, Promise<void>>();
  /** Containers started ahead of time, by (image, limits, env). */
  private readonly warm = new Map<string, WarmSlot[]>();
  /** Containers whose removal failed (engine down), retried by pruneWarm. */
  private readonly failedRemovals = new Map<string, Docker.Container>();
  private warmPerLimits = 0;
  /** resolveImage's checked answer per runtime, reused for IMAGE_CHECK_TTL_MS (one engine call fewer per run). */
  private readonly checkedImages = new Map<string, { at: number; image: Promise<{ tag: string; id: string }> }>();
  private closed = false;
  /** Runs under way (run() entered, not yet returned). */
  private active = 0;
  /** Armed on every run start and end (see WARM_UP_QUIET_MS). */
  private warmUpTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly docker: Docker,
    private readonly options: SandboxRunnerOptions = {},
  ) {
    this.owner = options.owner ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  /** Resolves the image a runtime must use, refusing anything but the expected tag. */
  async resolveImage(runtime: string, requested?: string): Promise<{ tag: string; id: string }> {
    const expected = expectedImageTag(runtime);
    if (requested !== undefined && requested !== expected) {
      throw new SandboxImageError(
        'image_mismatch',
        `Refusing to run image "${requested}": the ${runtime} sandbox must run "${expected}" (built from sandboxes/${runtime}/; run sandbox:build)`,
      );
    }
    const cached = this.checkedImages.get(runtime);
    if (cached && Date.now() - cached.at < IMAGE_CHECK_TTL_MS) return cached.image;
    const image = this.inspectImage(runtime, expected);
    this.checkedImages.set(runtime, { at: Date.now(), image });
    // Only an image that passed is reused; a failure is asked again by the next run.
    image.catch(() => {
      if (this.checkedImages.get(runtime)?.image === image) this.checkedImages.delete(runtime);
    });
    return image;
  }

  private async inspectImage(runtime: string, expected: string): Promise<{ tag: string; id: string }> {
    let info: Docker.ImageInspectInfo;
    try {
      info = await this.docker.getImage(expected).inspect();
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) {
        throw new SandboxImageError('image_missing', `Sandbox image "${expected}" is missing; build it with sandbox:build`);
      }
      throw e;
    }
    const hash = info.Config?.Labels?.['hiring.sandbox.hash'];
    if (hash !== runtimeImageHash(runtime)) {
      throw new SandboxImageError(
        'image_mismatch',
        `Refusing to run "${expected}": its hiring.sandbox.hash label (${hash ?? 'none'}) does not match sandboxes/${runtime}/`,
      );
    }
    return { tag: expected, id: info.Id };
  }

  async run(input: SandboxRunInput): Promise<SandboxResult> {
    this.active++;
    this.armWarmUps();
    try {
      return await this.runOnce(input);
    } finally {
      this.active--;
      this.armWarmUps();
    }
  }

  /**
   * Containers wait with their test runner loaded (sandboxes/prestart/serve); a
   * warm-up run of the image's own suite (every module a run needs compiled once) makes their run
   * faster still, but costs about one run's CPU. So it is asked for only while fewer runs are
   * under way than the host has CPUs (options.warmUpBelowRuns) and no run started or ended for
   * WARM_UP_QUIET_MS: then it uses a CPU no run needs. In a backlog that keeps every CPU busy
   * (GRADING_CONCURRENCY 2 on 2 cores, the next run taken as soon as one ends) no container is
   * asked, and each serves its run with the runner loaded but no warm-up in its way or on the CPU.
   */
  private armWarmUps(): void {
    if (this.warmUpTimer) clearTimeout(this.warmUpTimer);
    this.warmUpTimer = null;
    if (this.closed || this.warmPerLimits <= 0) return;
    this.warmUpTimer = setTimeout(() => {
      this.warmUpTimer = null;
      this.askWarmUps();
    }, WARM_UP_QUIET_MS);
    this.warmUpTimer.unref();
  }

  private askWarmUps(): void {
    if (this.closed || this.active >= (this.options.warmUpBelowRuns ?? Math.max(1, os.cpus().length))) return;
    for (const slots of this.warm.values()) {
      for (const slot of slots) {
        const stream = slot.ready?.stream;
        if (!stream || slot.warmUpAsked || stream.destroyed || !stream.writable) continue;
        slot.warmUpAsked = true;
        stream.write('warmup\n');
      }
    }
  }

  private async runOnce(input: SandboxRunInput): Promise<SandboxResult> {
    const started = Date.now();
    const def = getRuntime(input.runtime);
    const limits = resolveLimits(def.defaultLimits, input.limits);
    const runId = input.runId ?? randomUUID();
    // One control test that must fail appended to every hidden test file (none in a run without hidden tests).
    const controlled = addCanaries(
      input.tests,
      def.testFilePattern,
      def.canary,
      () => randomBytes(8).toString('hex'),
      () => randomInt(1_000_000, 1_000_000_000),
    );
    const plan = planWorkFiles(
      input.submission,
      controlled.files,
      def.protectedPaths,
      input.includeSubmissionTests ? undefined : def.testFilePattern,
    );
    // A split run (a runtime that supports it, with hidden tests): the hidden tests travel under
    // .hidden/ and leave the submission's folder for the grader's before any of its code runs.
    const splitContainer = Boolean(def.split) && input.split !== false;
    const split = splitContainer && controlled.files.length > 0;
    const hiddenFrom = plan.files.length - controlled.files.length;
    const files = split ? plan.files.map((f, i) => (i >= hiddenFrom ? { ...f, path: SPLIT_TESTS_PREFIX + f.path } : f)) : plan.files;
    const [image, tar] = await Promise.all([
      timed('sandbox: image inspect', () => this.resolveImage(input.runtime, input.image)),
      timed('sandbox: pack files', () => packFiles(files)),
    ]);
    const log = new TailBuffer(this.options.logTailBytes ?? 64 * 1024);

    const phases: SandboxPhases = { prepare: 0, create: 0, start: 0, exec: 0, unpack: null, tests: null, report: 0 };
    let mark = started;
    const lap = (k: 'prepare' | 'create' | 'start' | 'exec' | 'report') => {
      const now = Date.now();
      phases[k] += now - mark;
      mark = now;
    };
    lap('prepare');
    const mode: RunMode = splitContainer ? (split ? 'split' : 'root') : 'user';
    // A container started ahead of time for these limits, when the runner keeps some warm.
    const warm = await this.takeWarm(image.id, limits, def.env, def.execWorkDir, splitContainer, mode);
    lap('start');
    let container: Docker.Container;
    let stream: Duplex | null = null;
    if (warm) {
      ({ container, stream } = warm);
    } else {
      container = await this.docker.createContainer(
        this.containerSpec(image.id, runId, limits, def.env, 0, def.execWorkDir, splitContainer, { mode, warm: false }),
      );
      // The attach comes before the start, so nothing the entry prints is lost.
      stream = await this.attach(container).catch(() => null);
    }
    lap('create');
    let outcome: ExecOutcome = { exitCode: null, durationMs: 0, channel: Buffer.alloc(0), channelOverflowed: false };
    let report: RunFacts['report'] = { ok: false, problem: 'the test run wrote no report' };
    let oomKills = 0;
    let oomKilled = false;
    let channelForged = false;
    try {
      if (!warm) await container.start();
      lap('start');
      outcome = await this.attachRun(container, stream, tar, limits, log);
      lap('exec');
      const channel = parseRunChannel(outcome.channel);
      if (channel.facts) {
        oomKills = channel.facts.oomKills ?? 0;
        phases.unpack = channel.facts.unpackMs;
        phases.tests = channel.facts.testMs;
      }
      const declaredMismatch = channel.facts?.reportBytes !== undefined && channel.reportTar.length !== channel.facts.reportBytes;
      if (!outcome.killedFor && channel.facts && !outcome.channelOverflowed && (declaredMismatch || !isSingleEntryTar(channel.reportTar))) {
        // Only the run script writes the channel, once, after the tests are dead: more than one
        // facts line and report means a process of the tests wrote into it (e.g. via /proc/<pid>/fd).
        channelForged = true;
        report = { ok: false, problem: 'the report channel holds more than the run script wrote' };
      } else if (!outcome.killedFor && channel.facts) {
        report = await this.readReport(channel.reportTar, outcome.channelOverflowed, def.messageNoise);
      } else {
        // Killed by the host, or the run script itself did not finish (the OOM killer, the
        // container died): Docker knows about OOM kills once the container has exited.
        await container.kill().catch(() => undefined);
        await withTimeout(container.wait(), 10_000).catch(() => undefined);
        const state = await container
          .inspect()
          .then((i) => i.State)
          .catch(() => undefined);
        oomKilled = Boolean(state?.OOMKilled);
      }
      lap('report');
    } finally {
      // The result does not wait for the removal (~0.1 s of the engine's time); settled() does,
      // and the reaper removes whatever a dead process left behind.
      this.removeInBackground(container, runId);
    }

    // The host's checks of the report: the control tests failed, and the test command ended through
    // the framework's exit ("some tests failed", since a control test failed) rather than exit 0.
    const problems: string[] = channelForged ? ['something other than the run script wrote into the report channel'] : [];
    let exitCode = outcome.exitCode;
    if (report.ok && controlled.canaries.length) {
      const check = checkCanaries(report.tests, controlled.canaries);
      problems.push(...check.problems);
      report = { ok: true, tests: check.tests };
      if (exitCode === def.canary!.exitCode) exitCode = 0;
      // No control test ran (every test file failed to load: the report holds only errors, which
      // checkCanaries accepts): some frameworks then exit 0 (Minitest: "0 runs").
      else if (exitCode === 0 && check.found > 0)
        problems.push("the test command exited with 0 although a control test failed (it did not end through the test framework's exit)");
    }
    const facts: RunFacts = { killedFor: outcome.killedFor, oomKilled: oomKilled || oomKills > 0, exitCode, report };
    let decision = decideStatus(facts);
    if (problems.length && (decision.status === 'passed' || decision.status === 'failed' || decision.status === 'error')) {
      decision = { status: 'error', reason: `tampered: ${problems.join('; ')}` };
    }
    const tests = report.ok ? report.tests : [];
    recordStep('sandbox: files in to result (attach)', phases.exec);
    if (phases.unpack !== null) recordStep('sandbox: unpack + tests (inside)', phases.unpack + (phases.tests ?? 0));
    recordStep('sandbox: report parse', phases.report);
    return {
      runId,
      runtime: def.name,
      status: decision.status,
      reason: decision.reason,
      tests,
      counts: countTests(tests),
      durationMs: outcome.durationMs,
      totalMs: Date.now() - started,
      phases,
      warmContainer: warm !== null,
      exitCode: outcome.exitCode,
      log: log.toString(),
      logTruncated: log.dropped > 0 || outcome.killedFor === 'output_exceeded',
      outputBytes: outcome.outputBytes ?? 0,
      oomKills,
      imageTag: image.tag,
      imageId: image.id,
      limits,
      droppedFiles: plan.dropped,
      integrity: { canaries: controlled.canaries.length, problems },
    };
  }

  /** Resolves once the container of that run has been removed (or its removal failed and was logged). */
  removal(runId: string): Promise<void> {
    return this.removals.get(runId) ?? Promise.resolve();
  }

  /** Resolves once every container this runner started has been removed (or its removal failed). */
  async settled(): Promise<void> {
    while (this.removals.size) await Promise.allSettled([...this.removals.values()]);
  }

  /**
   * Keeps `perLimits` containers started ahead of time for each (image, limits) a run used, so
   * a run skips create + start (~0.1 s of the engine's time). Each is exactly the container a
   * run would create (same spec, a fresh tmpfs, only its entry running, waiting for the files) and serves
   * one run; one idle longer than WARM_IDLE_MS is removed instead of used. 0 turns it off.
   */
  keepWarm(perLimits: number): void {
    this.warmPerLimits = Math.max(0, Math.floor(perLimits));
  }

  /**
   * Drops warm containers that can no longer serve a run (stopped underneath: the engine
   * restarted, a reaper ended it; or idle past WARM_IDLE_MS) and removes them, so a dead one
   * does not linger until a run happens to reach its slot (the next run refills the pool); and
   * tries again every removal that failed (the engine was down), so those containers go as soon
   * as it is back instead of when their expiry label lets the reaper take them. A slot a run
   * takes meanwhile is left alone. Returns how many warm slots were dropped.
   */
  async pruneWarm(): Promise<number> {
    for (const [runId, c] of [...this.failedRemovals]) {
      this.failedRemovals.delete(runId);
      this.removeInBackground(c, runId);
    }
    let dropped = 0;
    for (const slots of this.warm.values()) {
      for (const slot of [...slots]) {
        const c = await slot.container;
        const usable =
          c !== null &&
          Date.now() - slot.createdAt <= WARM_IDLE_MS &&
          !c.stream?.destroyed &&
          (await c.container.inspect().then(
            (i) => i.State.Running,
            () => false,
          ));
        const at = slots.indexOf(slot);
        if (usable || at < 0) continue; // still good, or a run took it while we looked
        slots.splice(at, 1);
        if (c) this.dropStarted(c, slot.runId);
        dropped++;
      }
    }
    return dropped;
  }

  /** Removes the warm containers and waits for every removal (call at shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.warmUpTimer) clearTimeout(this.warmUpTimer);
    this.warmUpTimer = null;
    const slots = [...this.warm.values()].flat();
    this.warm.clear();
    for (const slot of slots) {
      const c = await slot.container;
      if (c) this.dropStarted(c, slot.runId);
    }
    await this.settled();
  }

  private async takeWarm(
    imageId: string,
    limits: SandboxLimits,
    env: Record<string, string>,
    execWorkDir = false,
    split = false,
    /** Its containers are started for one mode (see PrestartEntry). */
    mode: RunMode = 'user',
  ): Promise<Started | null> {
    if (this.warmPerLimits <= 0 || this.closed) return null;
    const key = JSON.stringify([imageId, limits, env, split, mode]);
    const slots = this.warm.get(key) ?? [];
    this.warm.set(key, slots);
    const slot = slots.shift();
    // Start the next ones now, while this run runs.
    while (slots.length < this.warmPerLimits) slots.push(this.startWarm(imageId, limits, env, execWorkDir, split, mode));
    if (!slot) return null;
    const started = await timed('sandbox: wait for the warm container', () => slot.container);
    if (!started) return null;
    const inspected = Date.now();
    // Still running (a reaper with { all: true } elsewhere, or its own hold, may have ended it)? A
    // container whose attach already ended is known dead without asking; every other one is
    // inspected (the attach's end reaches us some time after the engine killed it, so the
    // engine's answer is the one that counts).
    const running =
      Date.now() - slot.createdAt <= WARM_IDLE_MS &&
      !started.streamEnded &&
      !started.stream?.destroyed &&
      (await started.container.inspect().then(
        (i) => i.State.Running,
        () => false,
      ));
    recordStep('sandbox: inspect the warm container', Date.now() - inspected);
    if (running) return started;
    this.dropStarted(started, slot.runId);
    return null;
  }

  private startWarm(
    imageId: string,
    limits: SandboxLimits,
    env: Record<string, string>,
    execWorkDir = false,
    split = false,
    mode: RunMode = 'user',
  ): WarmSlot {
    const runId = `warm-${randomUUID()}`;
    const slot: WarmSlot = { runId, createdAt: Date.now(), container: Promise.resolve(null) };
    slot.container = (async (): Promise<Started | null> => {
      let c: Docker.Container | undefined;
      let stream: Duplex | null = null;
      let gone = false;
      try {
        let t = Date.now();
        c = await this.docker.createContainer(
          this.containerSpec(imageId, runId, limits, env, WARM_IDLE_MS, execWorkDir, split, { mode, warm: true }),
        );
        recordStep('refill: create', Date.now() - t);
        t = Date.now();
        stream = await this.attach(c);
        // Nothing is read until its run (the entry prints nothing while it waits); an end or an
        // error before then means its main process is gone, and the slot is dropped.
        const ended = () => {
          if (slot.ready) slot.ready.streamEnded = true;
          else gone = true;
        };
        stream.on('error', ended);
        stream.once('end', ended);
        stream.once('close', ended);
        recordStep('refill: attach', Date.now() - t);
        t = Date.now();
        await c.start();
        recordStep('refill: start', Date.now() - t);
        slot.ready = { container: c, stream, streamEnded: gone };
        // Started while no run is under way (the pool filled ahead of demand): ask for its warm-up.
        this.armWarmUps();
        return slot.ready;
      } catch (e) {
        this.options.log?.('a warm sandbox container could not be started', { runId, error: (e as Error).message });
        stream?.destroy();
        if (c) this.removeInBackground(c, runId);
        return null;
      }
    })();
    return slot;
  }

  private dropStarted(started: Started, runId: string): void {
    started.stream?.destroy();
    this.removeInBackground(started.container, runId);
  }

  /** The attach of a container's main process: its stdin, and its stdout/stderr multiplexed. */
  private async attach(container: Docker.Container): Promise<Duplex> {
    return (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as unknown as Duplex;
  }

  private removeInBackground(container: Docker.Container, runId: string): void {
    const began = Date.now();
    const removal = container
      .remove({ force: true, v: true })
      .then(
        () => {
          recordStep('removal (engine)', Date.now() - began);
          this.options.onRemoved?.(runId, Date.now() - began);
        },
        (e: { statusCode?: number; message?: string }) => {
          if (e.statusCode === 404) return;
          // Engine down or busy: tried again by pruneWarm (every minute on a grading worker).
          this.failedRemovals.set(runId, container);
          this.options.log?.('sandbox container removal failed; will retry', { runId, error: e.message });
        },
      )
      .finally(() => {
        if (this.removals.get(runId) === removal) this.removals.delete(runId);
      });
    this.removals.set(runId, removal);
  }

  /** The container: nothing from the host (no env, no mounts, no network), everything capped. */
  containerSpec(
    imageId: string,
    runId: string,
    limits: SandboxLimits,
    runtimeEnv: Record<string, string>,
    idleMs = 0,
    execWorkDir = false,
    /** A runtime whose graded runs are split in two users (RuntimeDefinition.split). */
    split = false,
    /** The entry is the run itself, fed through the attach. */
    entry: PrestartEntry,
  ): Docker.ContainerCreateOptions {
    const mb = 1024 * 1024;
    const user = `${SANDBOX_UID}:${SANDBOX_GID}`;
    // A warm container may wait up to idleMs for its run; its run still has the full deadline.
    const holdSeconds = Math.ceil((idleMs + limits.timeoutMs) / 1000) + Math.ceil(REAP_GRACE_MS / 1000);
    const env = {
      HOME: '/tmp',
      TMPDIR: '/tmp',
      LANG: 'C.UTF-8',
      PATH: '/usr/local/bin:/usr/bin:/bin',
      CI: 'true',
      ...runtimeEnv,
    };
    return {
      Image: imageId,
      // The main process is the run (sandboxes/prestart/serve), killed at the deadline's bound; both
      // from copies the sandbox users cannot read (non-dumpable: see sandboxes/prestart/serve).
      Entrypoint: [SANDBOX_PATHS.serveTimeout, '-s', 'KILL', `${holdSeconds}s`, SANDBOX_PATHS.serveShell, SANDBOX_PATHS.serveScript],
      Cmd: [entry.mode === 'split' ? 'split' : 'single', entry.warm ? 'warm' : 'cold'],
      // Split: the entry starts as root (with only CAP_SETUID/CAP_SETGID) to drop to the grader's
      // and the candidate's users, or to the candidate's alone for a run without hidden tests.
      User: split ? '0:0' : user,
      WorkingDir: SANDBOX_PATHS.workDir,
      Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      Hostname: 'sandbox',
      NetworkDisabled: true,
      // The entry reads the files on its stdin, closed once the host has sent them.
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      OpenStdin: true,
      StdinOnce: true,
      Tty: false,
      Labels: {
        [SANDBOX_LABEL]: '1',
        [RUN_ID_LABEL]: runId,
        [OWNER_LABEL]: this.owner,
        [EXPIRES_LABEL]: String(Date.now() + idleMs + limits.timeoutMs + REAP_GRACE_MS),
      },
      HostConfig: {
        NetworkMode: 'none',
        ReadonlyRootfs: true,
        Tmpfs: {
          // Split: /work belongs to the grader (the candidate cannot add anything beside its
          // folders, e.g. a node_modules the grader's Jest would look in); /tmp is shared (sticky).
          [SANDBOX_PATHS.workDir]: `rw,nosuid,nodev,${execWorkDir ? 'exec' : 'noexec'},size=${limits.workDirMb}m,nr_inodes=20000,${
            split ? `uid=${SANDBOX_GRADER_UID},gid=${SANDBOX_GRADER_UID},mode=0755` : `uid=${SANDBOX_UID},gid=${SANDBOX_GID},mode=0700`
          }`,
          '/tmp': `rw,nosuid,nodev,noexec,size=${limits.tmpMb}m,nr_inodes=10000,${split ? 'mode=1777' : `uid=${SANDBOX_UID},gid=${SANDBOX_GID},mode=0700`}`,
        },
        CapDrop: ['ALL'],
        // Split: the run script starts as root to drop to the grader's and the candidate's users.
        // Under no-new-privileges no process of those users can ever hold these.
        ...(split ? { CapAdd: ['SETUID', 'SETGID'] } : {}),
        SecurityOpt: ['no-new-privileges'],
        Privileged: false,
        Memory: limits.memoryMb * mb,
        MemorySwap: limits.memoryMb * mb,
        NanoCpus: Math.round(limits.cpus * 1e9),
        PidsLimit: limits.pids,
        ShmSize: 8 * mb,
        IpcMode: 'private',
        Ulimits: [
          { Name: 'nofile', Soft: limits.openFiles, Hard: limits.openFiles },
          { Name: 'fsize', Soft: limits.fileSizeMb * mb, Hard: limits.fileSizeMb * mb },
          { Name: 'core', Soft: 0, Hard: 0 },
        ],
        // Output is read from the entry's attach, never logged by the engine.
        LogConfig: { Type: 'none', Config: {} },
        AutoRemove: false,
        RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
        Binds: [],
        Mounts: [],
        Devices: [],
        Init: false,
      },
    };
  }

  /**
   * The run: its container's entry (sandboxes/prestart/serve) is already running, attached; one
   * line then the tar go in on its stdin. The entry's stderr carries everything the tests print
   * (the log, capped); its stdout only the facts line and the report tar, written after the tests
   * are dead (capped apart).
   */
  private async attachRun(
    container: Docker.Container,
    stream: Duplex | null,
    tar: Buffer,
    limits: SandboxLimits,
    log: TailBuffer,
  ): Promise<ExecOutcome> {
    const started = Date.now();
    if (!stream) return { exitCode: null, durationMs: 0, channel: Buffer.alloc(0), channelOverflowed: false };
    return this.streamRun(container, stream, [Buffer.from('run\n'), tar], limits, log, started, async () => {
      const r = (await withTimeout(container.wait(), 10_000)) as { StatusCode?: number };
      return typeof r.StatusCode === 'number' ? r.StatusCode : null;
    });
  }

  /** Feeds the input, demuxes the output (the log capped, the channel apart), enforces the deadline. */
  private async streamRun(
    container: Docker.Container,
    stream: Duplex,
    input: Buffer[],
    limits: SandboxLimits,
    log: TailBuffer,
    started: number,
    /**
     * The run's exit code when its output ended without the whole report: a run is done as soon
     * as the channel holds what its facts line declares and the log its last line (see
     * RunFactsLine.exitCode), without waiting for the container's exit (about 0.1-0.3 s of the
     * engine's time, and the entry waits for the removal anyway: sandboxes/prestart/serve); the
     * container is removed after the result as always.
     */
    exitCodeOf: () => Promise<number | null>,
  ): Promise<ExecOutcome> {
    let killedFor: ExecOutcome['killedFor'];
    let complete: { exitCode: number; logEnd: string } | null = null;
    let onComplete: () => void = () => undefined;
    // The channel's first bytes (its facts line), and the log's last ones (its end line).
    let head = Buffer.alloc(0);
    let declared: ReturnType<typeof declaredChannelBytes> = null;
    let logTail = Buffer.alloc(0);
    const checkComplete = () => {
      if (complete || killedFor) return;
      if (!declared && head.length) declared = declaredChannelBytes(head);
      // An overflowed channel is complete too (its report is refused as too large): the entry
      // waits for the removal after its report, so its exit cannot end the run.
      if (!declared || (!channel.overflowed && channel.size < declared.total)) return;
      if (!logTail.toString('latin1').endsWith(logEndLine(declared.logEnd))) return;
      complete = { exitCode: declared.exitCode, logEnd: declared.logEnd };
      onComplete();
    };
    const stop = (why: 'timeout' | 'output_exceeded') => {
      if (killedFor || complete) return;
      killedFor = why;
      stream.destroy();
      container.kill().catch(() => undefined);
    };
    const channel = new CappedBuffer(REPORT_MAX_BYTES + 64 * 1024);
    const reader = new MuxStreamReader((which, payload) => {
      if (killedFor || complete) return;
      if (which === 'stdout') {
        channel.push(payload);
        if (head.length < 512) head = Buffer.concat([head, payload]).subarray(0, 512);
        checkComplete();
        return;
      }
      log.push(payload);
      logTail = Buffer.concat([logTail, payload]).subarray(-128);
      if (reader.bytes.stderr > limits.outputBytes) stop('output_exceeded');
      else checkComplete();
    });
    const deadline = setTimeout(() => stop('timeout'), limits.timeoutMs);
    try {
      await new Promise<void>((resolve) => {
        onComplete = resolve;
        stream.on('data', (chunk: Buffer) => {
          if (!killedFor && !complete) reader.push(chunk);
        });
        stream.once('end', resolve);
        stream.once('close', resolve);
        stream.once('error', () => resolve());
        if (stream.destroyed || stream.readableEnded) return resolve();
        for (const b of input) stream.write(b);
        stream.end();
      });
      let exitCode: number | null = null;
      let logEndBytes = 0;
      const done = complete as { exitCode: number; logEnd: string } | null;
      if (done) {
        // Everything of the run is in; the container is left to the removal (it is exiting).
        stream.removeAllListeners('data');
        stream.on('error', () => undefined);
        stream.destroy();
        exitCode = done.exitCode;
      } else if (!killedFor) exitCode = await exitCodeOf().catch(() => null);
      if (!killedFor) {
        // The log's end line is the entry's, not the tests' output.
        const facts = parseRunChannel(channel.toBuffer()).facts;
        const line = facts?.logEnd ? Buffer.from(logEndLine(facts.logEnd)) : null;
        if (line && log.trimSuffix(line)) logEndBytes = line.length;
      }
      return {
        killedFor,
        exitCode: killedFor ? null : exitCode,
        durationMs: Date.now() - started,
        outputBytes: reader.bytes.stderr - logEndBytes,
        channel: channel.toBuffer(),
        channelOverflowed: channel.overflowed,
      };
    } finally {
      clearTimeout(deadline);
    }
  }

  /** The report from the run's stdout channel: a tar whose only entry must be a regular junit.xml. */
  private async readReport(reportTar: Buffer, overflowed: boolean, messageNoise?: RegExp): Promise<RunFacts['report']> {
    if (overflowed) return { ok: false, problem: `the test report is larger than ${REPORT_MAX_BYTES} bytes` };
    const file = await readSingleRegularFile(reportTar, 'junit.xml', REPORT_MAX_BYTES);
    if (!file.ok) {
      const problem =
        file.reason === 'missing'
          ? 'the test run wrote no report (it crashed or was stopped before the end; see the log)'
          : `the test report was refused: ${file.detail ?? file.reason}`;
      return { ok: false, problem };
    }
    try {
      return { ok: true, tests: parseJUnitXml(file.content, { noiseLines: messageNoise }) };
    } catch (e) {
      if (e instanceof JUnitParseError) return { ok: false, problem: e.message };
      throw e;
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
