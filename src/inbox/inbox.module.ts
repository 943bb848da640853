import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { IntegrationsModule } from '../integrations/integrations.module';
import { ChatPoller } from './chat-poller';
import { ChatController } from './chat.controller';
import { ChatPagesController } from './chat-pages.controller';
import { ChatService } from './chat.service';
import { ImapReader } from './imap-reader';
import { InboundMailService } from './inbound-mail.service';
import { InboxController } from './inbox.controller';
import { InboxPagesController } from './inbox-pages.controller';
import { ReplySlaService } from './reply-sla.service';
import { NotificationRoutesController } from './notification-routes.controller';
import { NotificationPagesController } from './notification-pages.controller';
import { NotificationRoutesService } from './notification-routes.service';

/** Two-way conversations (docs/inbox.md): inbound mail, unmatched mail, the reply SLA. */
@Module({
  imports: [AlertsModule, PipelineModule, IntegrationsModule],
  controllers: [
    InboxController,
    InboxPagesController,
    ChatController,
    ChatPagesController,
    NotificationRoutesController,
    NotificationPagesController,
  ],
  providers: [InboundMailService, ReplySlaService, ChatService, NotificationRoutesService],
  exports: [InboundMailService, ChatService],
})
export class InboxModule {}

/** General worker only (with the mail queue): the team mailbox reader. */
@Module({ imports: [InboxModule], providers: [ImapReader, ChatPoller] })
export class InboxWorkerModule {}
