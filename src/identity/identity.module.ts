import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthGuard } from './auth.guard';
import { IdentityController } from './identity.controller';
import { IdentityService } from './identity.service';
import { SsoService } from './sso.service';
import { TeamScope, TeamScopeGuard } from './team-scope';
import { AuthToken, LoginAttempt, ReviewerProfile, User } from './user.entity';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([User, AuthToken, LoginAttempt, ReviewerProfile])],
  controllers: [IdentityController],
  // Order matters: the team-scope guard runs after the sign-in/roles guard.
  providers: [
    IdentityService,
    SsoService,
    TeamScope,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: TeamScopeGuard },
  ],
  exports: [IdentityService, SsoService, TeamScope],
})
export class IdentityModule {}

/** Same module without HTTP parts, for the worker and CLI. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([User, AuthToken, LoginAttempt, ReviewerProfile])],
  providers: [IdentityService, TeamScope],
  exports: [IdentityService, TeamScope],
})
export class IdentityCoreModule {}
