import { Body, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, Req } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiController } from '../common/http/api-controller';
import { Request } from 'express';
import { ApplicationException, ErrorCode } from '../common/errors/application.exception';
import { CurrentUser, Principal, Public, Roles } from './decorators';
import {
  CreateApiTokenDto,
  CreateUserDto,
  LoginDto,
  LoginResponseDto,
  ReviewerProfileDto,
  TokenDto,
  UpdateUserDto,
  UserDto,
} from './dto/identity.dto';
import { IdentityService } from './identity.service';
import { ALL_ROLES, Role, TokenKind, User } from './user.entity';

const toDto = (u: User): UserDto => ({
  id: u.id,
  email: u.email,
  name: u.name,
  roles: u.roles,
  timezone: u.timezone,
  disabled: !!u.disabledAt,
});

@ApiController('', 'identity')
export class IdentityController {
  constructor(private readonly identity: IdentityService) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto })
  async login(@Body() dto: LoginDto, @Req() req: Request): Promise<LoginResponseDto> {
    const { accessToken, user, expiresAt } = await this.identity.login(dto.email, dto.password, req.ip ?? 'unknown');
    return { accessToken, expiresAt, userId: user.id, roles: user.roles };
  }

  @Roles(...ALL_ROLES)
  @Post('auth/logout')
  @HttpCode(204)
  async logout(@CurrentUser() me: Principal): Promise<void> {
    await this.identity.revokeToken(me.tokenId);
  }

  @Roles(...ALL_ROLES)
  @Get('me')
  @ApiOkResponse({ type: UserDto })
  async me(@CurrentUser() me: Principal): Promise<UserDto> {
    return toDto(await this.identity.getUser(me.id));
  }

  /** Long-lived API tokens for integrations (acting as the calling user). */
  @Roles(...ALL_ROLES)
  @Post('auth/tokens')
  async createToken(@CurrentUser() me: Principal, @Body() dto: CreateApiTokenDto) {
    const { token, id, expiresAt } = await this.identity.issueToken(me.id, TokenKind.ApiToken, dto.name);
    return { id, token, expiresAt };
  }

  /** The caller's sessions and API tokens that still work. */
  @Roles(...ALL_ROLES)
  @Get('auth/tokens')
  @ApiOkResponse({ type: TokenDto, isArray: true })
  async listTokens(@CurrentUser() me: Principal): Promise<TokenDto[]> {
    return (await this.identity.listTokens(me.id)).map((t) => ({
      id: t.id,
      kind: t.kind,
      name: t.name,
      createdAt: t.createdAt,
      expiresAt: t.expiresAt,
      current: t.id === me.tokenId,
    }));
  }

  /** Revoke one of the caller's own sessions or API tokens (a lost laptop, a retired integration). */
  @Roles(...ALL_ROLES)
  @Delete('auth/tokens/:id')
  @HttpCode(204)
  async revokeToken(@CurrentUser() me: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.identity.revokeOwnToken(me.id, id);
  }

  /** Admins: anyone; others: themselves. */
  @Roles(...ALL_ROLES)
  @Get('users/:id')
  @ApiOkResponse({ type: UserDto })
  async getUser(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal): Promise<UserDto> {
    if (!me.roles.includes(Role.Admin) && me.id !== id)
      throw new ApplicationException(ErrorCode.Forbidden, 'Only admins can read other accounts');
    return toDto(await this.identity.getUser(id));
  }

  /**
   * Admins change an account: name, roles, time zone, disabled. 409 for the last active admin,
   * for disabling yourself, and for leaving open openings without an owner (listed in the answer).
   */
  @Patch('users/:id')
  @ApiOkResponse({ type: UserDto })
  async updateUser(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUserDto, @CurrentUser() me: Principal): Promise<UserDto> {
    return toDto(await this.identity.updateUser(me.id, id, dto));
  }

  @Post('users')
  @ApiOkResponse({ type: UserDto })
  async createUser(@Body() dto: CreateUserDto): Promise<UserDto> {
    return toDto(await this.identity.createUser(dto));
  }

  @Roles(Role.Recruiter, Role.HiringManager)
  @Get('users')
  async listUsers(@Query('role') role?: string): Promise<UserDto[]> {
    if (role && !ALL_ROLES.includes(role as Role))
      throw new ApplicationException(ErrorCode.ValidationFailed, `role must be one of ${ALL_ROLES.join(', ')}`);
    return (await this.identity.listUsers(role as Role | undefined)).map(toDto);
  }

  /** Admins set anyone's profile; an engineer may set their own. */
  @Roles(Role.Engineer)
  @Put('users/:id/reviewer-profile')
  async putReviewerProfile(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ReviewerProfileDto, @CurrentUser() me: Principal) {
    if (!me.roles.includes(Role.Admin) && me.id !== id)
      throw new ApplicationException(ErrorCode.Forbidden, 'Engineers can only edit their own reviewer profile');
    return this.identity.putReviewerProfile(id, dto);
  }
}
