import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { WEBHOOK_EVENTS } from '../../timeline/domain/webhook-events';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://hooks.example.com/hiring' }) @IsString() @MaxLength(2000) url: string;
  @ApiProperty({ description: 'Shared secret for the HMAC signature (16–256 characters); never returned', minLength: 16 })
  @IsString()
  @MinLength(16)
  @MaxLength(256)
  secret: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @IsIn(WEBHOOK_EVENTS as unknown as string[], { each: true })
  events: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) url?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(16) @MaxLength(256) secret?: string;
  @ApiPropertyOptional({ enum: WEBHOOK_EVENTS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @IsIn(WEBHOOK_EVENTS as unknown as string[], { each: true })
  events?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
}

export class WebhookSettingsDto {
  @ApiProperty({ description: 'Allow endpoints on loopback or private addresses (tests, intranet receivers)' })
  @IsBoolean()
  allowPrivateTargets: boolean;
}

export class RetentionSettingsDto {
  @ApiProperty({ description: 'Months personal data is kept after a candidate’s last application closed', minimum: 1, maximum: 240 })
  @IsInt()
  @Min(1)
  @Max(240)
  defaultMonths: number;
}
