import { Module } from '@nestjs/common';
import { CommunicationsModule } from '../communications/communications.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { BulkApplicationsController } from './bulk-applications.controller';
import { BulkApplicationsService } from './bulk-applications.service';

/**
 * The selection actions and the CSV export (`/applications/bulk`, `/applications/export.csv`), in
 * their own module so that their routes can be registered just before PipelineModule's
 * `/applications/:id` (see DOMAIN_MODULES): Express matches in registration order, and `:id`
 * would otherwise take `export.csv`.
 */
@Module({
  imports: [PipelineModule, CommunicationsModule],
  controllers: [BulkApplicationsController],
  providers: [BulkApplicationsService],
  exports: [BulkApplicationsService],
})
export class BulkApplicationsModule {}
