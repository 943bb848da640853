import type { Candidate } from '../candidates/candidate.entity';
import type { Opening } from '../openings/opening.entity';
import type { Actor } from '../timeline/timeline.entity';
import type { Application, Exemption } from './application.entity';
import type { TerminalAction } from './domain/transitions';

/* The pipeline's events (see src/common/events/event-bus.ts). */
declare module '../common/events/event-bus' {
  interface AppEvents {
    /** Public code accepted instead of the take-home, committed (the reviews module schedules its review). */
    'exemption.recorded': { application: Application; opening: Opening; exemption: Exemption };
  }
  interface TxHooks {
    /** A hire, rejection or withdrawal, inside its transaction (interviews: onboarding plan, upcoming sessions cancelled). */
    'application.closed': {
      application: Application;
      opening: Opening;
      candidate: Candidate;
      action: TerminalAction;
      actor: Actor;
      now: Date;
    };
  }
}
