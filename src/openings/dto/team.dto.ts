import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsUUID, ValidateNested } from 'class-validator';
import { TEAM_ROLES, TeamRole } from '../../identity/team-scope';

export class TeamMemberDto {
  @ApiProperty() @IsUUID() userId: string;
  @ApiProperty({ enum: TEAM_ROLES }) @IsIn(TEAM_ROLES, { message: `role must be one of: ${TEAM_ROLES.join(', ')}` }) role: TeamRole;
}

export class TeamDto {
  @ApiProperty({
    type: [TeamMemberDto],
    description: "The named members; the opening's owners and everyone booked on its reviews or interviews are members anyway",
  })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => TeamMemberDto)
  members: TeamMemberDto[];
}
