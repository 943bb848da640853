import { Global, Injectable, Logger, Module } from '@nestjs/common';
import { RequestContext, SYSTEM_ACTOR } from '../context/request-context';

export interface SweepTask {
  /** Stable name, printed in the sweep report. */
  name: string;
  /** Do everything due as of `now`. Must be idempotent: running twice at one instant changes nothing. */
  run(now: Date): Promise<Record<string, number>>;
  /**
   * May run at the same time as the concurrent tasks registered right before or after it (they
   * write no common rows and none reads what another writes). A run of such tasks starts together
   * and the next task waits for all of them: the database works on one task's page while this
   * process renders another's.
   */
  concurrent?: boolean;
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
    for (let i = 0; i < this.tasks.length; ) {
      // A run of concurrent tasks (or one task) at a time; the report keeps the order of the list.
      let j = i + 1;
      if (this.tasks[i].concurrent) while (j < this.tasks.length && this.tasks[j].concurrent) j++;
      const batch = this.tasks.slice(i, j);
      for (const task of batch) report[task.name] = {};
      await Promise.all(batch.map(async (task) => (report[task.name] = await this.runTask(task, now, onTask))));
      i = j;
    }
    return report;
  }

  private async runTask(task: SweepTask, now: Date, onTask?: (name: string) => void): Promise<Record<string, number>> {
    onTask?.(task.name);
    const started = Date.now();
    let result: Record<string, number>;
    try {
      result = await task.run(now);
    } catch (e) {
      this.logger.error({ err: e, task: task.name }, 'sweep task failed');
      result = { failed: 1 };
    }
    result.ms = Date.now() - started;
    this.logger.debug({ task: task.name, ...result }, 'sweep task done');
    return result;
  }
}

@Global()
@Module({ providers: [SweepRegistry], exports: [SweepRegistry] })
export class SweepModule {}
