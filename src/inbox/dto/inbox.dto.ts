import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { CHAT_FLAVORS, CHAT_KINDS, ChatFlavor } from '../domain/chat';

export class AssignInboundDto {
  @ApiProperty({ description: 'The application this mail belongs to' }) @IsUUID() applicationId: string;
}

export class CreateChatWebhookDto {
  @ApiProperty({ description: 'A name to recognise it by, e.g. "#hiring on Slack"' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;
  @ApiProperty({ enum: CHAT_FLAVORS }) @IsIn(CHAT_FLAVORS) flavor: ChatFlavor;
  @ApiProperty({ description: 'The incoming webhook URL (a secret: stored encrypted, never shown again)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  url: string;
  @ApiProperty({ isArray: true, enum: CHAT_KINDS, description: 'Which alerts to send' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsIn(CHAT_KINDS, { each: true })
  kinds: string[];
}
