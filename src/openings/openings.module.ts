import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommunicationsModule } from '../communications/communications.module';
import { Opening } from './opening.entity';
import { OpeningsController } from './openings.controller';
import { OpeningsService } from './openings.service';

@Module({
  imports: [TypeOrmModule.forFeature([Opening]), CommunicationsModule],
  controllers: [OpeningsController],
  providers: [OpeningsService],
  exports: [OpeningsService],
})
export class OpeningsModule {}
