/** Public API of the sandbox module (everything else is internal). */
export {
  ArchiveError,
  DEFAULT_ARCHIVE_LIMITS,
  detectArchiveFormat,
  loadFiles,
  readArchive,
  readDirectory,
  stripCommonRoot,
} from './archive';
export type { ArchiveErrorCode, ArchiveFile, ArchiveFormat, ArchiveLimits, ReadOptions, ReadResult } from './archive';
export { countTests, decideStatus, parseJUnitXml } from './domain/junit';
export type { RunStatus, TestCaseResult, TestCounts, TestStatus } from './domain/junit';
export { DEFAULT_LIMITS, LIMIT_BOUNDS, resolveLimits, InvalidLimitsError } from './domain/limits';
export type { SandboxLimits } from './domain/limits';
export type { WorkFile } from './domain/work-files';
export { gradeLocal } from './grade-local';
export type { GradeLocalOptions } from './grade-local';
export { baseImageTag, buildAllSandboxImages, buildSandboxImage, expectedImageTag, pruneOldSandboxImages } from './image-builder';
export { hostCanRun, runOnHost } from './host-runner';
export type { HostRun } from './host-runner';
export type { BuiltImage } from './image-builder';
export { reapOrphans } from './reaper';
export type { ReapOptions } from './reaper';
export { getRuntime, RUNTIMES, runtimeNames } from './runtimes';
export type { RuntimeDefinition } from './runtimes';
export { SandboxImageError, SandboxRunner } from './sandbox-runner';
export type { SandboxResult, SandboxRunInput } from './sandbox-runner';
export { SandboxModule } from './sandbox.module';
export { SandboxService } from './sandbox.service';
