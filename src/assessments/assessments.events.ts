import type { Application } from '../pipeline/application.entity';
import type { GradingResult, Submission } from './submission.entity';

/* The take-home module's events (see src/common/events/event-bus.ts). */
declare module '../common/events/event-bus' {
  interface AppEvents {
    /**
     * A grading result committed. At least once: a listener that fails makes the grading job (or
     * the sweep) announce it again, so listeners are idempotent (e.g. keyed by submission id).
     */
    'submission.graded': { submission: Submission; application: Application; result: GradingResult };
  }
}
