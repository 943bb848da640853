import { Global, Injectable, Logger, Module } from '@nestjs/common';
import { RequestContext, SYSTEM_ACTOR } from '../context/request-context';

export interface SweepTask {
  /** Stable name, printed in the sweep report. */
  name: string;
  /** Do everything due as of `now`. Must be idempotent: running twice at one instant changes nothing. */
  run(now: Date): Promise<Record<string, number>>;
}

/**
 * Modules register their periodic work here (SLA check-ins, stale alerts, digests, lost-job
 * re-enqueue, retention). The worker's repeatable job and `cli sweep --as-of` run the same list.
 */
@Injectable()
export class SweepRegistry {
  private readonly logger = new Logger('Sweep');
  private readonly tasks: SweepTask[] = [];

  register(task: SweepTask): void {
    if (!this.tasks.some((t) => t.name === task.name)) this.tasks.push(task);
  }

  /** `onTask` is told when each task starts (the sweep benchmark attributes its RSS samples with it). */
  runAll(now: Date, onTask?: (name: string) => void): Promise<Record<string, Record<string, number>>> {
    // A sweep run outside a job (the CLI, tests) gets its own context: a generated id, actor = system.
    return RequestContext.ensure(SYSTEM_ACTOR, () => this.runTasks(now, onTask));
  }

  private async runTasks(now: Date, onTask?: (name: string) => void): Promise<Record<string, Record<string, number>>> {
    const report: Record<string, Record<string, number>> = {};
    for (const task of this.tasks) {
      onTask?.(task.name);
      const started = Date.now();
      try {
        report[task.name] = await task.run(now);
      } catch (e) {
        this.logger.error({ err: e, task: task.name }, 'sweep task failed');
        report[task.name] = { failed: 1 };
      }
      report[task.name].ms = Date.now() - started;
      this.logger.debug({ task: task.name, ...report[task.name] }, 'sweep task done');
    }
    return report;
  }
}

@Global()
@Module({ providers: [SweepRegistry], exports: [SweepRegistry] })
export class SweepModule {}
