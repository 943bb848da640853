import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import type Docker from 'dockerode';
import { createDockerClient, DOCKER } from '../common/docker';
import { buildAllSandboxImages, BuiltImage } from './image-builder';
import { reapOrphans, ReapOptions } from './reaper';
import { SandboxResult, SandboxRunInput, SandboxRunner } from './sandbox-runner';

/**
 * Nest face of the sandbox: runs hidden tests in hardened containers, builds the images,
 * reaps orphaned containers. The worker calls reapOrphans({ deadOwners: true }) at start and
 * startReaper() for the periodic sweep.
 */
@Injectable()
export class SandboxService implements OnModuleDestroy {
  private readonly logger = new Logger('Sandbox');
  private readonly docker: Docker;
  private readonly runner: SandboxRunner;
  private reaperTimer?: NodeJS.Timeout;

  constructor(@Optional() @Inject(DOCKER) docker?: Docker) {
    this.docker = docker ?? createDockerClient({ DOCKER_HOST: process.env.DOCKER_HOST });
    this.runner = new SandboxRunner(this.docker, {
      log: (message, meta) => this.logger.warn({ ...meta, msg: message }),
    });
  }

  runTests(input: SandboxRunInput): Promise<SandboxResult> {
    return this.runner.run(input);
  }

  /** Resolves once that run's container has been removed (a result comes before its removal). */
  removal(runId: string): Promise<void> {
    return this.runner.removal(runId);
  }

  /** Keeps n containers started ahead of time per (runtime, limits) used (the worker: its concurrency). */
  keepWarm(n: number): void {
    this.runner.keepWarm(n);
  }

  /** Drops and removes warm containers that stopped underneath (see SandboxRunner.pruneWarm). */
  pruneWarm(): Promise<number> {
    return this.runner.pruneWarm();
  }

  /** Builds every missing runtime image (cached by tag; quick when nothing changed). */
  ensureImages(log: (line: string) => void = (l) => this.logger.log(l)): Promise<BuiltImage[]> {
    return buildAllSandboxImages(this.docker, log);
  }

  reapOrphans(options: ReapOptions = {}): Promise<{ removed: string[] }> {
    return reapOrphans(this.docker, options);
  }

  /** Periodic reaping of expired sandbox containers (unref'd: never keeps the process alive). */
  startReaper(everyMs = 60_000): void {
    this.stopReaper();
    this.reaperTimer = setInterval(() => {
      this.reapOrphans().then(
        (r) => r.removed.length && this.logger.warn(`removed ${r.removed.length} orphaned sandbox container(s)`),
        (e: Error) => this.logger.error(`sandbox reaper failed: ${e.message}`),
      );
    }, everyMs);
    this.reaperTimer.unref();
  }

  stopReaper(): void {
    if (this.reaperTimer) clearInterval(this.reaperTimer);
    this.reaperTimer = undefined;
  }

  /** True when the Docker engine answers. */
  async ping(): Promise<boolean> {
    try {
      await this.docker.ping();
      return true;
    } catch {
      return false;
    }
  }

  /** Removes the warm containers and waits for the removal of those of finished runs. */
  async onModuleDestroy(): Promise<void> {
    this.stopReaper();
    await this.runner.close();
  }
}
