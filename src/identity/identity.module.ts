import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthGuard } from './auth.guard';
import { IdentityController } from './identity.controller';
import { IdentityService } from './identity.service';
import { SsoService } from './sso.service';
import { AuthToken, LoginAttempt, ReviewerProfile, User } from './user.entity';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([User, AuthToken, LoginAttempt, ReviewerProfile])],
  controllers: [IdentityController],
  providers: [IdentityService, SsoService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [IdentityService, SsoService],
})
export class IdentityModule {}

/** Same module without HTTP parts, for the worker and CLI. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([User, AuthToken, LoginAttempt, ReviewerProfile])],
  providers: [IdentityService],
  exports: [IdentityService],
})
export class IdentityCoreModule {}
