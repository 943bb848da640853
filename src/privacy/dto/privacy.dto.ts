import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsInt, Max, Min, ValidateIf } from 'class-validator';

export class ConsentDto {
  @ApiProperty({
    description: 'true: the candidate consented now (keeps their data for the default period from today); false: consent withdrawn',
  })
  @IsBoolean()
  given: boolean;
}

export class OpeningRetentionDto {
  @ApiProperty({
    nullable: true,
    minimum: 1,
    maximum: 240,
    description: 'Months after an application to this opening closes; null = the global default',
  })
  @ValidateIf((o) => o.months !== null)
  @IsInt()
  @Min(1)
  @Max(240)
  months: number | null;
}
