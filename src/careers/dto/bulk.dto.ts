import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class BulkDto {
  @ApiProperty({ type: [String], description: 'Application ids (at most 200)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  ids: string[];
  @ApiProperty({ enum: ['move', 'reject', 'message'] }) @IsIn(['move', 'reject', 'message']) action: 'move' | 'reject' | 'message';
  @ApiPropertyOptional({ description: 'move: the stage key' }) @IsOptional() @IsString() @MaxLength(40) to?: string;
  @ApiPropertyOptional({ description: 'reject: internal reason (never sent to the candidate)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
  @ApiPropertyOptional({ description: 'message: the text sent to each candidate' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  text?: string;
}
