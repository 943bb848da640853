import { Module } from '@nestjs/common';
import { IntegrationsModule } from '../integrations/integrations.module';
import { AlertsStoreModule } from '../alerts/alerts-store.module';
import { OpeningsModule } from '../openings/openings.module';
import { ErasureService } from './erasure.service';
import { ExportService } from './export.service';
import { PrivacyPagesController } from './privacy-pages.controller';
import { OpeningRetentionController, PrivacyController } from './privacy.controller';
import { RetentionService } from './retention.service';

/** Retention, erasure (staff API, candidate page, retention sweep) and export of a candidate's data. */
@Module({
  imports: [IntegrationsModule, AlertsStoreModule, OpeningsModule],
  controllers: [PrivacyController, OpeningRetentionController, PrivacyPagesController],
  providers: [ErasureService, ExportService, RetentionService],
  exports: [ErasureService, ExportService, RetentionService],
})
export class PrivacyModule {}
