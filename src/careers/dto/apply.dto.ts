import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';

export class ResumeUploadDto {
  @ApiProperty({ example: 'ada-lovelace.pdf' }) @IsString() @MaxLength(200) fileName: string;
  @ApiProperty({ description: 'The file, base64 (PDF or DOCX, up to 10 MB; checked by content)' })
  @IsString()
  @MaxLength(14_000_000)
  contentBase64: string;
}

export class ApplicationAnswerDto {
  @ApiProperty({ example: 'q1', description: 'The question id (GET /api/v1/careers/openings/:id/questions)' })
  @IsString()
  @MaxLength(60)
  questionId: string;
  @ApiProperty({ example: 'web browsers' }) @IsString() @MaxLength(2000) answer: string;
}

/** JSON twin of the careers form (multipart with a `resume` file part is accepted too). */
export class ApplyDto {
  @ApiProperty() @IsString() @MaxLength(200) name: string;
  @ApiProperty() @IsString() @MaxLength(320) email: string;
  @ApiPropertyOptional({ example: 'Europe/Berlin', default: 'UTC' }) @IsOptional() @IsString() @MaxLength(64) timezone?: string;
  @ApiProperty({ description: 'Consent to the privacy notice (must be true)' }) @IsBoolean() consent: boolean;
  @ApiPropertyOptional({
    type: [String],
    description: 'Up to 3 links; a GitHub (or other public code) link feeds the public-code exemption',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  links?: string[];
  @ApiPropertyOptional({ description: 'Tracked source: a job board name, partner:<name> or internship' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  source?: string;
  @ApiPropertyOptional({ description: "Referring employee's user id (their referral link)" })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  ref?: string;
  @ApiPropertyOptional({ description: 'Leave empty (a field people never see; filled only by bots)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  website?: string;
  @ApiPropertyOptional({
    type: [ApplicationAnswerDto],
    description: "Answers to the opening's application questions (each required when it has any)",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ApplicationAnswerDto)
  answers?: ApplicationAnswerDto[];
  // IsObject: ValidateNested alone checks an array's items one by one, so `[[{…}]]` got through.
  @ApiPropertyOptional({ type: ResumeUploadDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ResumeUploadDto)
  resume?: ResumeUploadDto;
}
