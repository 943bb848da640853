// Every migration, in order. Committed migrations are never edited; add a new file instead.
import { Identity1763800000000 } from './1763800000000-Identity';
import { Pipeline1763800100000 } from './1763800100000-Pipeline';

export const ALL_MIGRATIONS = [Identity1763800000000, Pipeline1763800100000];
