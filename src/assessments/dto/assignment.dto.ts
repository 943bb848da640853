import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { runtimeNames } from '../../sandbox';
import type { SandboxLimits } from '../../sandbox';
import {
  CANDIDATE_SEES,
  CandidateSees,
  MAX_TIME_GUIDANCE_MINUTES,
  RESUBMISSION_POLICIES,
  ResubmissionPolicy,
  TIME_GUIDANCE_REASON,
} from '../domain/policy';

export class CreateAssignmentDto {
  @ApiProperty({ example: 'Word frequencies' }) @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @ApiProperty({ enum: ['node', 'python'] }) @IsIn(runtimeNames()) runtime: string;
  @ApiProperty({ description: 'Markdown shown to the candidate (rendered safely)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100_000)
  instructions: string;
  @ApiPropertyOptional({
    default: 120,
    maximum: MAX_TIME_GUIDANCE_MINUTES,
    description: 'Expected time; at most 180 (a take-home takes no more than 3 hours)',
  })
  @IsOptional()
  @IsInt()
  @Min(15, { message: 'timeGuidanceMinutes must be at least 15' })
  @Max(MAX_TIME_GUIDANCE_MINUTES, { message: `timeGuidanceMinutes must be at most ${MAX_TIME_GUIDANCE_MINUTES}: ${TIME_GUIDANCE_REASON}` })
  timeGuidanceMinutes?: number;
  @ApiPropertyOptional({
    description: 'Sandbox limits (timeoutMs, memoryMb, cpus, pids, outputBytes, workDirMb, tmpMb, openFiles, fileSizeMb)',
  })
  @IsOptional()
  @IsObject()
  limits?: Partial<SandboxLimits>;
  @ApiPropertyOptional({ enum: RESUBMISSION_POLICIES, default: 'until_first_graded' })
  @IsOptional()
  @IsIn(RESUBMISSION_POLICIES)
  resubmission?: ResubmissionPolicy;
  @ApiPropertyOptional({ enum: CANDIDATE_SEES, default: 'summary' }) @IsOptional() @IsIn(CANDIDATE_SEES) candidateSees?: CandidateSees;
  @ApiPropertyOptional({ default: 10 * 1024 * 1024, description: 'Largest accepted upload in bytes (1 KB to 100 MB)' })
  @IsOptional()
  @IsInt()
  @Min(1024)
  @Max(100 * 1024 * 1024)
  maxSubmissionBytes?: number;
  @ApiPropertyOptional({ default: 7, description: 'Days an invitation link stays valid' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  invitationDays?: number;
}

export class InviteDto {
  @ApiProperty() @IsUUID() assignmentId: string;
}

export class ExtendDto {
  @ApiProperty({ minimum: 1, maximum: 30 }) @IsInt() @Min(1) @Max(30) days: number;
}

export class AttestationDto {
  @ApiProperty({ example: 'Grace Hopper' }) @IsString() @IsNotEmpty() @MaxLength(200) fullName: string;
  @ApiProperty({ example: true, description: 'Must be true' })
  @IsIn([true], { message: 'agreed must be true: sign the statement to continue' })
  agreed: boolean;
}

export class FeedbackDto {
  @ApiProperty({ minimum: 1, maximum: 5, description: 'How clear were the instructions? 1 (unclear) to 5 (very clear)' })
  @IsInt()
  @Min(1)
  @Max(5)
  clarity: number;
  @ApiProperty({ description: 'Minutes spent on the take-home' }) @IsInt() @Min(0) @Max(10080) minutesSpent: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) comments?: string;
}
