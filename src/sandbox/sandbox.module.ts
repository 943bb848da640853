import { Module } from '@nestjs/common';
import { SandboxService } from './sandbox.service';

/** Sandboxed grading: images, the dockerode runner, result parsing, orphan reaping. */
@Module({
  providers: [SandboxService],
  exports: [SandboxService],
})
export class SandboxModule {}
