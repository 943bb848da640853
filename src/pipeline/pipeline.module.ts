import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommunicationsModule } from '../communications/communications.module';
import { Application, Exemption } from './application.entity';
import { TimelineModule } from '../timeline/timeline.module';
import { ApplicationsController } from './applications.controller';
import { ApplicationsService } from './applications.service';

@Module({
  imports: [TypeOrmModule.forFeature([Application, Exemption]), TimelineModule, CommunicationsModule],
  controllers: [ApplicationsController],
  providers: [ApplicationsService],
  exports: [ApplicationsService],
})
export class PipelineModule {}
