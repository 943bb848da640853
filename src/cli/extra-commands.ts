import { INestApplicationContext } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { loadEnv } from '../common/config/env.schema';
import { createDockerClient } from '../common/docker';
import { ArchiveError } from '../sandbox/archive';
import { gradeLocal } from '../sandbox/grade-local';
import { buildAllSandboxImages } from '../sandbox/image-builder';
import { runtimeNames } from '../sandbox/runtimes';
import { SandboxImageError } from '../sandbox/sandbox-runner';

export interface CliCommand {
  name: string;
  usage: string;
  run(args: string[], withApp: <T>(fn: (app: INestApplicationContext) => Promise<T>) => Promise<T>): Promise<number>;
}

/** Commands that need no database: sandbox images and local grading. */
export const CLI_EXTRA_COMMANDS: CliCommand[] = [
  {
    name: 'sandbox:build',
    usage:
      'sandbox:build [runtime...]                 build the sandbox runtime images, all or those named (skipped when the tagged image exists)',
    run: async (args) => {
      const unknown = args.filter((a) => !runtimeNames().includes(a));
      if (unknown.length) {
        console.error(`sandbox:build: unknown runtime ${unknown.join(', ')} (known: ${runtimeNames().join(', ')})`);
        return 2;
      }
      const env = loadEnv();
      const started = Date.now();
      const built = await buildAllSandboxImages(
        createDockerClient(env),
        (line) => process.stderr.write(`[sandbox] ${line}\n`),
        args.length ? args : undefined,
      );
      for (const b of built)
        console.log(`${b.runtime}: ${b.tag}${b.built ? ` (built in ${b.seconds.toFixed(1)} s)` : ' (already present)'}`);
      console.error(`[sandbox] images ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return 0;
    },
  },
  {
    name: 'grade',
    usage: 'grade --runtime node --tests <dir|archive> --submission <dir|archive>   grade in the sandbox, print the result as JSON',
    run: async (args) => {
      const { values } = parseArgs({
        args,
        strict: true,
        options: { runtime: { type: 'string' }, tests: { type: 'string' }, submission: { type: 'string' }, timeout: { type: 'string' } },
      });
      const runtimes = runtimeNames();
      if (!values.runtime || !runtimes.includes(values.runtime) || !values.tests || !values.submission) {
        console.error(`grade needs --runtime (${runtimes.join(', ')}), --tests <dir|archive> and --submission <dir|archive>`);
        return 2;
      }
      const env = loadEnv();
      try {
        const result = await gradeLocal({
          runtime: values.runtime,
          testsPath: values.tests,
          submissionPath: values.submission,
          docker: createDockerClient(env),
          buildMissingImage: true,
          limits: values.timeout ? { timeoutMs: Number(values.timeout) * 1000 } : undefined,
          log: (line) => process.stderr.write(`[sandbox] ${line}\n`),
        });
        console.log(JSON.stringify(result, null, 2));
        return result.status === 'passed' ? 0 : 1;
      } catch (e) {
        if (e instanceof ArchiveError || e instanceof SandboxImageError) {
          console.error(`refused: ${e.message}`);
          return 2;
        }
        throw e;
      }
    },
  },
];
