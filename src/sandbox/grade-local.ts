import type Docker from 'dockerode';
import { createDockerClient } from '../common/docker';
import { loadFiles, ReadOptions } from './archive';
import { SandboxLimits } from './domain/limits';
import { buildSandboxImage, BuildLog } from './image-builder';
import { SandboxResult, SandboxRunner } from './sandbox-runner';

export interface GradeLocalOptions {
  runtime: string;
  /** Folder or archive (zip / tar.gz) holding the hidden tests. */
  testsPath: string;
  /** Folder or archive holding the submission (one shared top folder is dropped). */
  submissionPath: string;
  limits?: Partial<SandboxLimits>;
  /** Default: DOCKER_HOST or the local socket. */
  docker?: Docker;
  /** Build the runtime image first when it is missing (default false: a missing image is an error). */
  buildMissingImage?: boolean;
  archiveLimits?: ReadOptions;
  log?: BuildLog;
}

/**
 * Grades one submission against hidden tests on this machine's Docker engine, for the CLI:
 * `cli grade --runtime node --tests <dir|archive> --submission <dir|archive>` prints the result.
 * Throws ArchiveError (with .code) when an input is refused, SandboxImageError when the image
 * is missing or not the expected one.
 */
export async function gradeLocal(options: GradeLocalOptions): Promise<SandboxResult> {
  const docker = options.docker ?? createDockerClient({ DOCKER_HOST: process.env.DOCKER_HOST });
  const [tests, submission] = await Promise.all([
    loadFiles(options.testsPath, options.archiveLimits),
    loadFiles(options.submissionPath, { stripCommonRoot: true, ...options.archiveLimits }),
  ]);
  if (options.buildMissingImage) await buildSandboxImage(docker, options.runtime, options.log);
  const runner = new SandboxRunner(docker);
  try {
    return await runner.run({
      runtime: options.runtime,
      submission: submission.files,
      tests: tests.files,
      limits: options.limits,
    });
  } finally {
    await runner.settled();
  }
}
