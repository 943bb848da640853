import { Module } from '@nestjs/common';
import { CommunicationsModule } from '../communications/communications.module';
import { AlertsStoreModule } from './alerts-store.module';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';

@Module({
  imports: [AlertsStoreModule, CommunicationsModule],
  controllers: [AlertsController],
  providers: [AlertsService],
  exports: [AlertsService],
})
export class AlertsModule {}
