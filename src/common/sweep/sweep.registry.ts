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
  /**
   * Names of tasks registered before this one whose results it reads: it starts once they have
   * finished (failed or not), and, if concurrent, while the rest of their run of concurrent tasks
   * may still be going (the stale digest lists the alerts `stale-alerts` raised, and need not wait
   * for `sla-checkins`).
   */
  after?: string[];
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
    if (this.tasks.some((t) => t.name === task.name)) return;
    // A task can only wait for one that starts before it (otherwise the two would wait for each other).
    for (const name of task.after ?? [])
      if (!this.tasks.some((t) => t.name === name))
        throw new Error(`sweep task ${task.name} is registered before ${name}, which it runs after`);
    this.tasks.push(task);
  }

  /** `onTask` is told when each task starts (the sweep benchmark attributes its RSS samples with it). */
  runAll(now: Date, onTask?: (name: string) => void): Promise<Record<string, Record<string, number>>> {
    // A sweep run outside a job (the CLI, tests) gets its own context: a generated id, actor = system.
    return RequestContext.ensure(SYSTEM_ACTOR, () => this.runTasks(now, onTask));
  }

  private async runTasks(now: Date, onTask?: (name: string) => void): Promise<Record<string, Record<string, number>>> {
    const report: Record<string, Record<string, number>> = {};
    // Each started task's completion (it never rejects: runTask reports a failure as `failed`).
    const done = new Map<string, Promise<unknown>>();
    for (let i = 0; i < this.tasks.length; ) {
      // A run of concurrent tasks (or one task) at a time; the report keeps the order of the list.
      let j = i + 1;
      if (this.tasks[i].concurrent) while (j < this.tasks.length && this.tasks[j].concurrent) j++;
      const batch = this.tasks.slice(i, j);
      for (const task of batch) report[task.name] = {};
      // Started in list order, so a task's `after` (registered before it) is in `done` already.
      await Promise.all(
        batch.map((task) => {
          const waits = (task.after ?? []).map((name) => done.get(name)).filter((p) => p !== undefined);
          const run = (waits.length ? Promise.all(waits) : Promise.resolve()).then(async () => {
            report[task.name] = await this.runTask(task, now, onTask);
          });
          done.set(task.name, run);
          return run;
        }),
      );
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
