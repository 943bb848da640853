import { Global, Injectable, Module } from '@nestjs/common';

/**
 * Every time-dependent rule reads this clock, never Date.now() directly, so a sweep can run
 * "as of" any instant and tests can jump ahead.
 */
@Injectable()
export class Clock {
  private fixed?: Date;
  private offsetMs = 0;
  now(): Date {
    return this.fixed ? new Date(this.fixed.getTime()) : new Date(Date.now() + this.offsetMs);
  }
  /** Freeze time at an instant (cli sweep --as-of, tests). */
  set(instant: Date): void {
    this.fixed = new Date(instant.getTime());
  }
  /** Back to the real clock. */
  reset(): void {
    this.fixed = undefined;
    this.offsetMs = 0;
  }
}

@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
