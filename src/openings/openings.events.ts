import type { Opening } from './opening.entity';

/* The openings module's events (see src/common/events/event-bus.ts). */
declare module '../common/events/event-bus' {
  interface AppEvents {
    /** A new opening was saved (screening gives it the default question bank). */
    'opening.created': { opening: Opening };
  }
}
