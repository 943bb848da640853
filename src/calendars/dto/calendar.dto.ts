import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class ConnectCalendarDto {
  @ApiProperty({ enum: ['caldav', 'ics'], description: 'CalDAV (principal, calendar home or calendar URL) or a secret ICS address' })
  @IsIn(['caldav', 'ics'])
  kind: 'caldav' | 'ics';
  @ApiProperty({ example: 'https://cloud.example.com/remote.php/dav/' }) @IsString() @IsNotEmpty() @MaxLength(2000) url: string;
  @ApiPropertyOptional({ description: 'CalDAV user name (Basic auth with password)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  username?: string;
  @ApiPropertyOptional({ description: 'CalDAV password or app password; without a username, a bearer token. Never returned.' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  password?: string;
}

export class PickSlotDto {
  @ApiProperty({ example: '2027-03-02T14:00:00Z' }) @IsISO8601({ strict: true }) startsAt: string;
}
