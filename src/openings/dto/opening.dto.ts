import { IsMoneyAmount } from '../../common/http/money';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { STAGE_KINDS } from '../../pipeline/domain/stages';

export class CompensationDto {
  @ApiProperty({ example: 90000 }) @IsMoneyAmount() @Min(0) @Max(100_000_000) min: number;
  @ApiProperty({ example: 120000 }) @IsMoneyAmount() @Min(0) @Max(100_000_000) max: number;
  @ApiProperty({ example: 'EUR' }) @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' }) currency: string;
}

export class StageDto {
  @ApiProperty({ example: 'take_home' }) @Matches(/^[a-z][a-z0-9_-]{0,39}$/, { message: 'key must be a lowercase slug' }) key: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(80) name?: string;
  @ApiPropertyOptional({ enum: STAGE_KINDS }) @IsOptional() @IsIn(STAGE_KINDS as unknown as string[]) kind?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) description?: string;
  @ApiPropertyOptional({ default: 3 }) @IsOptional() @IsInt() @Min(1) @Max(60) contactSlaBusinessDays?: number;
  @ApiPropertyOptional({ default: 5 }) @IsOptional() @IsInt() @Min(1) @Max(60) staleAfterBusinessDays?: number;
}

export class CreateOpeningDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @ApiProperty() @IsUUID() hiringManagerId: string;
  @ApiProperty() @IsUUID() recruiterId: string;
  @ApiProperty({ type: CompensationDto }) @ValidateNested() @Type(() => CompensationDto) compensation: CompensationDto;
  @ApiPropertyOptional({
    type: [StageDto],
    description: 'Default: recruiter_screen, manager_call, take_home, code_review, team_interviews, offer',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => StageDto)
  stages?: StageDto[];
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() autoCheckins?: boolean;
  @ApiPropertyOptional({ example: ['2026-12-25'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true })
  holidays?: string[];
  @ApiPropertyOptional({ description: "Time zone for stale-candidate counting; default: the hiring manager's" })
  @IsOptional()
  @IsTimeZone()
  timezone?: string;
  @ApiPropertyOptional({ default: 60 }) @IsOptional() @IsInt() @Min(15) @Max(240) reviewDurationMinutes?: number;
}

export class StageSettingDto {
  @ApiProperty({ example: 'take_home', description: "Key of one of the opening's stages" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  key: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(60) contactSlaBusinessDays?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(60) staleAfterBusinessDays?: number;
}

export class UpdateOpeningDto {
  @ApiPropertyOptional({
    type: [StageSettingDto],
    description: 'Change the SLA settings of existing stages (by key); stages are not added, removed or reordered here',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => StageSettingDto)
  stageSettings?: StageSettingDto[];
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) title?: string;
  @ApiPropertyOptional({ type: CompensationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CompensationDto)
  compensation?: CompensationDto;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() autoCheckins?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsArray() @ArrayMaxSize(100) @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true }) holidays?: string[];
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(15) @Max(240) reviewDurationMinutes?: number;
  @ApiPropertyOptional({ description: "Business days within which a candidate's mail should be answered (default 1; docs/inbox.md)" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  replySlaBusinessDays?: number;
  @ApiPropertyOptional({ description: 'Hand the opening (and its open stale-candidate alerts) to another hiring manager' })
  @IsOptional()
  @IsUUID()
  hiringManagerId?: string;
  @ApiPropertyOptional({ description: 'Hand the opening (and its open SLA alerts) to another recruiter' })
  @IsOptional()
  @IsUUID()
  recruiterId?: string;
  @ApiPropertyOptional({ description: 'Shown on the careers page (/careers) and open to applications' })
  @IsOptional()
  @IsBoolean()
  published?: boolean;
  @ApiPropertyOptional({ description: 'Markdown; shown sanitised on the careers page' })
  @IsOptional()
  @IsString()
  @MaxLength(50_000)
  description?: string;
  @ApiPropertyOptional({ example: 'Berlin, Germany', description: 'Where the job is; null for none (remote only)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string | null;
  @ApiPropertyOptional({ description: 'The job can be done remotely' }) @IsOptional() @IsBoolean() remote?: boolean;
  @ApiPropertyOptional({
    example: ['Europe/Berlin', 'Europe/Lisbon'],
    description: 'For remote: the time zones candidates may work from (empty: any)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsTimeZone({ each: true })
  remoteTimeZones?: string[];
}

export class TemplateOverrideDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(300) subject: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(50_000) html: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(50_000) text: string;
}
