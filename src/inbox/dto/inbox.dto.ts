import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class AssignInboundDto {
  @ApiProperty({ description: 'The application this mail belongs to' }) @IsUUID() applicationId: string;
}
