import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class OutcomeDto {
  @ApiProperty({ enum: ['advance', 'reject'] }) @IsIn(['advance', 'reject']) decision: 'advance' | 'reject';
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(10000) notes: string;
  @ApiPropertyOptional({ description: 'Personal words added to the rejection message' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  candidateMessage?: string;
}

export class CancelReviewDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class BusyBlockDto {
  @ApiProperty({ example: '2027-03-02T09:00:00Z' }) @IsISO8601({ strict: true }) startsAt: string;
  @ApiProperty({ example: '2027-03-02T12:00:00Z' }) @IsISO8601({ strict: true }) endsAt: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) reason?: string;
}
