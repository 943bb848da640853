import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsObject, IsOptional, IsString, IsTimeZone, MaxLength, ValidateNested } from 'class-validator';
import { CompensationDto } from '../../openings/dto/opening.dto';

/** What the careers page shows of an opening; the pay range is required (it is always shown). */
export class PublicationDto {
  @ApiProperty({ description: 'Shown on /careers and open to applications' }) @IsBoolean() published: boolean;
  @ApiProperty({ description: 'Markdown; shown sanitised on the careers page' }) @IsString() @MaxLength(50_000) description: string;
  @ApiPropertyOptional({
    example: 'Berlin, Germany',
    nullable: true,
    description: 'Where the job is; null or empty for none (remote only)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string | null;
  @ApiProperty({ description: 'The job can be done remotely' }) @IsBoolean() remote: boolean;
  @ApiPropertyOptional({ example: ['Europe/Berlin'], description: 'For remote: the time zones candidates may work from (empty: any)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsTimeZone({ each: true, message: 'remoteTimeZones: each must be a time zone such as Europe/Berlin' })
  remoteTimeZones?: string[];
  @ApiProperty({ type: CompensationDto, description: 'The pay range, always shown on the careers page' })
  @IsObject()
  @ValidateNested()
  @Type(() => CompensationDto)
  compensation: CompensationDto;
}

export class ApplicationQuestionDto {
  @ApiPropertyOptional({ example: 'q1' }) @IsOptional() @IsString() @MaxLength(60) id?: string;
  @ApiProperty({ example: 'In programming, "for" and "while" are examples of what?' }) prompt: string;
  @ApiProperty({ example: 'loops' }) answer: string;
  @ApiPropertyOptional({ type: [String] }) acceptedAnswers?: string[];
  @ApiPropertyOptional({ default: false, description: 'Missing it is flagged to the recruiter (no automatic rejection)' })
  knockout?: boolean;
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 10 }) weight?: number;
}

/** Checked by the screening engine's validateForm and lint (ApplicationQuestionsService.save). */
export class ApplicationQuestionsDto {
  @ApiPropertyOptional({ default: 80, minimum: 0, maximum: 100 }) passThreshold?: number;
  @ApiProperty({ type: [ApplicationQuestionDto], description: 'At most 20; an empty list asks nothing' })
  questions: ApplicationQuestionDto[];
}
