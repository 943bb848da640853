import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

/** `PUT /settings/scheduling`: any of the fields; those left out keep their current value. */
export class SchedulingSettingsDto {
  @ApiPropertyOptional({ description: 'Candidates choose their code-review time from offered times (automatic booking is the fallback)' })
  @IsOptional()
  @IsBoolean()
  selfScheduleOffers?: boolean;

  @ApiPropertyOptional({ description: 'Business days (in the candidate’s zone) an offer stays open', minimum: 1, maximum: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  offerDays?: number;

  @ApiPropertyOptional({ description: 'Unanswered offers before the review is booked automatically', minimum: 1, maximum: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  offerRounds?: number;

  @ApiPropertyOptional({
    description: 'Candidates may move or cancel their review until this many hours before it',
    minimum: 0,
    maximum: 336,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(336)
  noticeHours?: number;
}
