import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { ImapReader } from './imap-reader';
import { InboundMailService } from './inbound-mail.service';
import { InboxController } from './inbox.controller';
import { InboxPagesController } from './inbox-pages.controller';
import { ReplySlaService } from './reply-sla.service';

/** Two-way conversations (docs/inbox.md): inbound mail, unmatched mail, the reply SLA. */
@Module({
  imports: [AlertsModule, PipelineModule],
  controllers: [InboxController, InboxPagesController],
  providers: [InboundMailService, ReplySlaService],
  exports: [InboundMailService],
})
export class InboxModule {}

/** General worker only (with the mail queue): the team mailbox reader. */
@Module({ imports: [InboxModule], providers: [ImapReader] })
export class InboxWorkerModule {}
