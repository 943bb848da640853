// Every migration, in order. Committed migrations are never edited; add a new file instead.
import { Identity1763800000000 } from './1763800000000-Identity';
import { Pipeline1763800100000 } from './1763800100000-Pipeline';
import { Reviews1763800400000 } from './1763800400000-Reviews';
import { Screening1763800200000 } from './1763800200000-Screening';

export const ALL_MIGRATIONS = [Identity1763800000000, Pipeline1763800100000, Screening1763800200000, Reviews1763800400000];
