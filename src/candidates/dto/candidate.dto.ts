import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, IsTimeZone, IsUrl, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { SOURCE_KINDS } from '../candidate.entity';

export class SourceDto {
  @ApiProperty({ enum: SOURCE_KINDS }) @IsIn(SOURCE_KINDS as unknown as string[]) kind: (typeof SOURCE_KINDS)[number];
  @ApiPropertyOptional({ description: 'partner: bootcamp or organisation; job_board: which board; other: free text' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  detail?: string;
  @ApiPropertyOptional({ description: 'referral: the referring staff user' }) @IsOptional() @IsUUID() referrerId?: string;
}

export class CreateCandidateDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiProperty() @IsEmail() @MaxLength(320) email: string;
  @ApiProperty({ example: 'Asia/Tokyo' }) @IsTimeZone() timezone: string;
  @ApiProperty({ type: SourceDto }) @ValidateNested() @Type(() => SourceDto) source: SourceDto;
  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(500)
  publicCodeUrl?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) phone?: string;
  @ApiPropertyOptional({ description: 'Consent to process personal data was given now' }) @IsOptional() consent?: boolean;
}
