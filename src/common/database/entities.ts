// Every TypeORM entity, so each process (api, worker, cli, tests) loads the same set.
import { AuthToken, LoginAttempt, ReviewerProfile, User } from '../../identity/user.entity';

export const ALL_ENTITIES = [User, ReviewerProfile, AuthToken, LoginAttempt];
