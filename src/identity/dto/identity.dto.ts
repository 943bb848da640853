import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ALL_ROLES, Role } from '../user.entity';

export class LoginDto {
  @ApiProperty({ example: 'admin@example.com' }) @IsEmail() @MaxLength(320) email: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) password: string;
}

export class LoginResponseDto {
  @ApiProperty() accessToken: string;
  @ApiProperty() expiresAt: Date;
  @ApiProperty() userId: string;
  @ApiProperty({ enum: ALL_ROLES, isArray: true }) roles: Role[];
}

export class CreateUserDto {
  @ApiProperty() @IsEmail() @MaxLength(320) email: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiProperty({ minLength: 10 }) @IsString() @MinLength(10) @MaxLength(200) password: string;
  @ApiProperty({ enum: ALL_ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ALL_ROLES, { each: true })
  roles: Role[];
  @ApiProperty({ example: 'Europe/Berlin' }) @IsTimeZone() timezone: string;
}

export class UserDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ALL_ROLES, isArray: true }) roles: Role[];
  @ApiProperty() timezone: string;
  @ApiProperty({ description: 'A disabled account cannot sign in and its tokens are revoked' }) disabled: boolean;
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: ALL_ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ALL_ROLES, { each: true })
  roles?: Role[];
  @ApiPropertyOptional({ example: 'Europe/Berlin' }) @IsOptional() @IsTimeZone() timezone?: string;
  @ApiPropertyOptional({ description: 'true: sign-in refused and every session and API token revoked at once; false: may sign in again' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class TokenDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['api_session', 'web_session', 'api_token'] }) kind: string;
  @ApiProperty({ nullable: true }) name: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() expiresAt: Date;
  @ApiProperty({ description: 'The token this request was made with' }) current: boolean;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
export class WorkingHoursDto {
  @ApiProperty({ example: '09:00' }) @Matches(HHMM, { message: 'start must be HH:MM' }) start: string;
  @ApiProperty({ example: '17:00' }) @Matches(HHMM, { message: 'end must be HH:MM' }) end: string;
  @ApiProperty({ example: [1, 2, 3, 4, 5], description: 'ISO weekdays, 1 = Monday' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  days: number[];
}

export class ReviewerProfileDto {
  @ApiProperty({ example: ['typescript', 'python'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  languages: string[];
  @ApiProperty({ example: 'Europe/Berlin' }) @IsTimeZone() timezone: string;
  @ApiProperty({ type: WorkingHoursDto }) @ValidateNested() @Type(() => WorkingHoursDto) workingHours: WorkingHoursDto;
  @ApiPropertyOptional({
    example: 'https://meet.example.com/erin',
    nullable: true,
    description: "The reviewer's video-call link: the place of their review invitations (null clears it; omitted keeps it)",
  })
  @IsOptional()
  @IsUrl(
    { protocols: ['https', 'http'], require_protocol: true },
    { message: 'meetingUrl must be an http(s) address such as https://meet.example.com/you' },
  )
  @MaxLength(500)
  meetingUrl?: string | null;
}

export class CreateApiTokenDto {
  @ApiPropertyOptional() @IsString() @IsNotEmpty() @MaxLength(100) name: string;
}
