// Every migration, in order. Committed migrations are never edited; add a new file instead.
import { Identity1763800000000 } from './1763800000000-Identity';

export const ALL_MIGRATIONS = [Identity1763800000000];
