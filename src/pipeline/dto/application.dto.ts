import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, IsUUID, Matches, MaxLength } from 'class-validator';

export class CreateApplicationDto {
  @ApiProperty() @IsUUID() candidateId: string;
  @ApiProperty() @IsUUID() openingId: string;
}

export class TransitionDto {
  @ApiProperty({ example: 'manager_call' }) @IsString() @IsNotEmpty() @MaxLength(40) to: string;
  @ApiPropertyOptional({ description: 'Required when skipping a stage' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class RejectDto {
  @ApiProperty({ description: 'Internal reason (never sent to the candidate)' }) @IsString() @IsNotEmpty() @MaxLength(2000) reason: string;
  @ApiPropertyOptional({ description: 'Optional personal words for the candidate, added to the respectful rejection message' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  candidateMessage?: string;
}

export class WithdrawDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class ExemptionDto {
  @ApiProperty({ enum: ['public_code'] }) @IsIn(['public_code']) kind: 'public_code';
  @ApiProperty({ example: 'https://github.com/someone/project' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(500)
  url: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) reason: string;
  @ApiPropertyOptional({
    example: 'python',
    description: 'Language of the public code; the code review goes to an engineer who lists it (default javascript)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9+#._-]{1,40}$/i)
  language?: string;
}

export class NoteDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(5000) text: string;
}

export class SendMessageDto {
  @ApiProperty({ description: 'The message to the candidate (plain text)' }) @IsString() @IsNotEmpty() @MaxLength(10_000) text: string;
  @ApiPropertyOptional({ description: 'Default: "About your application for <opening>"' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  subject?: string;
}
