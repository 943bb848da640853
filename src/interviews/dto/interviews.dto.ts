import { IsMoneyAmount } from '../../common/http/money';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsISO8601,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export class InterviewSessionDto {
  @ApiProperty({ example: 'pairing', description: 'One of the configured interview kinds (GET /interview-kinds)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  kind: string;
  @ApiProperty({ type: [String], description: 'Staff users interviewing in this session (at most 2)' })
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  interviewerIds: string[];
  @ApiProperty({ example: '2027-03-03T13:00:00Z' }) @IsISO8601({ strict: true }) startsAt: string;
  @ApiProperty({ example: '2027-03-03T14:00:00Z' }) @IsISO8601({ strict: true }) endsAt: string;
}

export class ProposeLoopDto {
  @ApiProperty({ type: [InterviewSessionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => InterviewSessionDto)
  sessions: InterviewSessionDto[];
}

export class CancelInterviewDto {
  @ApiPropertyOptional({ description: 'Internal reason, shown to the interviewers' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
  @ApiPropertyOptional({ description: 'Optional words for the candidate, added to the cancellation' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  candidateMessage?: string;
  @ApiPropertyOptional({
    description: 'The SEQUENCE you saw: if the interview changed since (the candidate moved it), the cancel is a 409 and nothing changes',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  sequence?: number;
}

export class InterviewKindsDto {
  @ApiProperty({ type: [String], example: ['pairing', 'system_design', 'team_conversation'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  kinds: string[];
}

export class OfferOverrideDto {
  @ApiProperty({ description: 'Why an offer outside the range is right (administrators only)' })
  @IsString()
  @MaxLength(2000)
  reason: string;
}

export class MakeOfferDto {
  @ApiProperty({ example: 110000, description: 'Yearly amount' }) @IsMoneyAmount() amount: number;
  @ApiProperty({ example: 'EUR' })
  @IsString()
  @Matches(/^[A-Za-z]{3}$/, { message: 'currency must be a 3-letter ISO 4217 code' })
  currency: string;
  @ApiPropertyOptional({ example: '2027-05-03', description: 'First working day (local date)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'startDate must be a date written YYYY-MM-DD' })
  startDate?: string;
  @ApiPropertyOptional({ type: OfferOverrideDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => OfferOverrideDto)
  override?: OfferOverrideDto;
  @ApiPropertyOptional({
    type: OfferOverrideDto,
    description:
      "Make the offer although the opening's decision rule does not hold (administrators only, with a reason, recorded on the timeline)",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => OfferOverrideDto)
  decisionOverride?: OfferOverrideDto;
}

export class AssignBuddyDto {
  @ApiProperty({ format: 'uuid', description: "The staff user who will be the new teammate's buddy for the first two months" })
  @IsUUID()
  userId: string;
}

export class OnboardingItemDoneDto {
  @ApiProperty({ description: 'true ticks the item off, false reopens it' }) @IsBoolean() done: boolean;
}
