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
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { FORM_LIMITS } from '../domain';

/** Longest answer, note or checklist text a recruiter may record (a phone answer, not an essay). */
export const MAX_SCREENING_TEXT = 2000;

// ---------------------------------------------------------------- form (documentation only: validateForm checks it)

export class ScreeningQuestionInputDoc {
  @ApiPropertyOptional({ description: 'Stable id; generated when omitted', example: 'web-browsers' }) id?: string;
  @ApiProperty({ example: 'Firefox, Mozilla, and Safari are all examples of what?', maxLength: FORM_LIMITS.maxPromptChars }) prompt: string;
  @ApiProperty({ example: 'web browsers', maxLength: FORM_LIMITS.maxAnswerChars }) answer: string;
  @ApiPropertyOptional({ type: [String], example: ['browsers'], default: [] }) acceptedAnswers?: string[];
  @ApiPropertyOptional({ default: false, description: 'Missing it fails the screen whatever the score' }) knockout?: boolean;
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 10 }) weight?: number;
}

export class ScreeningFormInputDoc {
  @ApiProperty({ example: 80, minimum: 0, maximum: 100, description: 'Weighted percentage needed to pass' }) passThreshold: number;
  @ApiProperty({ type: [ScreeningQuestionInputDoc] }) questions: ScreeningQuestionInputDoc[];
}

// ---------------------------------------------------------------- sessions

export class ScreeningAnswerDto {
  @ApiProperty({ example: 'web-browsers' }) @IsString() @IsNotEmpty() @MaxLength(100) questionId: string;
  @ApiProperty({ description: 'What the candidate said, verbatim; empty scores as a miss', maxLength: MAX_SCREENING_TEXT })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_SCREENING_TEXT)
  given?: string;
  @ApiPropertyOptional({ description: "Recruiter's verdict (true = correct); changing the automatic verdict needs a note" })
  @IsOptional()
  @IsBoolean()
  override?: boolean | null;
  @ApiPropertyOptional({ maxLength: MAX_SCREENING_TEXT }) @IsOptional() @IsString() @MaxLength(MAX_SCREENING_TEXT) note?: string | null;
}

export class ScreeningChecklistDto {
  @ApiPropertyOptional({ description: 'The hiring process (every stage) was explained' })
  @IsOptional()
  @IsBoolean()
  processExplained?: boolean;
  @ApiPropertyOptional({ description: "The opening's compensation range was discussed" })
  @IsOptional()
  @IsBoolean()
  compensationDiscussed?: boolean;
  @ApiPropertyOptional({ description: 'Answer to "What would you like to be doing in your next job?"', maxLength: MAX_SCREENING_TEXT })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_SCREENING_TEXT)
  nextJobAnswer?: string;
}

export class CreateScreeningDto {
  @ApiProperty({ type: [ScreeningAnswerDto] })
  @IsArray()
  @ArrayMaxSize(FORM_LIMITS.maxQuestions)
  @ValidateNested({ each: true })
  @Type(() => ScreeningAnswerDto)
  answers: ScreeningAnswerDto[];
  @ApiPropertyOptional({ type: ScreeningChecklistDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScreeningChecklistDto)
  checklist?: ScreeningChecklistDto;
  @ApiPropertyOptional({
    enum: ['advance', 'reject'],
    description: 'Move the application to its next stage, or reject it; either sends the candidate a message',
  })
  @IsOptional()
  @IsIn(['advance', 'reject'])
  outcome?: 'advance' | 'reject';
  @ApiPropertyOptional({
    description: 'With outcome "reject": personal words added to the respectful rejection message',
    maxLength: MAX_SCREENING_TEXT,
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_SCREENING_TEXT)
  candidateMessage?: string;
  @ApiPropertyOptional({ description: 'The form version the recruiter read from; refused (409) if the form has changed since' })
  @IsOptional()
  @IsInt()
  @Min(1)
  formVersion?: number;
}

export class MatchAnswerDto {
  @ApiProperty() @IsUUID() openingId: string;
  @ApiProperty() @IsInt() @Min(1) formVersion: number;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) questionId: string;
  @ApiProperty({ maxLength: MAX_SCREENING_TEXT }) @IsString() @MaxLength(MAX_SCREENING_TEXT) given: string;
}

export class PreviewScreeningDto {
  @ApiProperty() @IsUUID() openingId: string;
  @ApiProperty() @IsInt() @Min(1) formVersion: number;
  @ApiProperty({ type: [ScreeningAnswerDto] })
  @IsArray()
  @ArrayMaxSize(FORM_LIMITS.maxQuestions)
  @ValidateNested({ each: true })
  @Type(() => ScreeningAnswerDto)
  answers: ScreeningAnswerDto[];
}
