import { Module } from '@nestjs/common';
import { AlertsStoreModule } from '../alerts/alerts-store.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommunicationsModule } from '../communications/communications.module';
import { Opening } from './opening.entity';
import { OpeningsController } from './openings.controller';
import { OpeningsService } from './openings.service';
import { TeamService } from './team.service';

@Module({
  imports: [TypeOrmModule.forFeature([Opening]), CommunicationsModule, AlertsStoreModule],
  controllers: [OpeningsController],
  providers: [OpeningsService, TeamService],
  exports: [OpeningsService, TeamService],
})
export class OpeningsModule {}
