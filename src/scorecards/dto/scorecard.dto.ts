import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DECISION_RULES, RECOMMENDATIONS } from '../domain';

export class CompetencyDto {
  @ApiPropertyOptional({ example: 'communication', description: 'Stable key (default: made from the name)' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  key?: string;
  @ApiProperty({ example: 'Communication' }) @IsString() @IsNotEmpty() @MaxLength(120) name: string;
  @ApiPropertyOptional({ type: [String], description: 'What scores 1, 2, 3 and 4 mean (four short texts)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(4)
  @ArrayMaxSize(4)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  rubric?: string[];
  @ApiPropertyOptional({
    type: [String],
    example: ['pairing', 'code_review'],
    description: 'Interview kinds and/or code_review this competency is scored in (default: every session)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  appliesTo?: string[];
}

export class ScorecardTemplateDto {
  @ApiProperty({ type: [CompetencyDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CompetencyDto)
  competencies: CompetencyDto[];
  @ApiProperty({ enum: DECISION_RULES }) @IsIn(DECISION_RULES as unknown as string[]) decisionRule: string;
  @ApiPropertyOptional({
    example: 24,
    description: 'A scorecard is due this many business hours after its session ends (1-240, default 24)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(240)
  feedbackDueBusinessHours?: number;
  @ApiPropertyOptional({
    description: "Hide the candidate's name, e-mail, source and referrer from the code reviewer until the review's scorecard is filed",
  })
  @IsOptional()
  @IsBoolean()
  anonymousReview?: boolean;
}

export class RatingDto {
  @ApiProperty({ example: 'communication' }) @IsString() @IsNotEmpty() @MaxLength(60) competency: string;
  @ApiProperty({ minimum: 1, maximum: 4 }) @IsInt() @Min(1) @Max(4) score: number;
}

export class FileScorecardDto {
  @ApiProperty({ type: [RatingDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RatingDto)
  ratings: RatingDto[];
  @ApiProperty({ enum: RECOMMENDATIONS }) @IsIn(RECOMMENDATIONS as unknown as string[]) recommendation: string;
  @ApiPropertyOptional({ description: 'Evidence: what was seen and heard' }) @IsOptional() @IsString() @MaxLength(10000) notes?: string;
}
