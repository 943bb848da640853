import { Module } from '@nestjs/common';
import { AlertsStoreModule } from '../alerts/alerts-store.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailTransport } from './mail-transport';
import { MailService } from './mail.service';
import { Message, MessageTemplate } from './message.entity';
import { OutboxService } from './outbox.service';
import { SlaService } from './sla.service';
import { TemplateService } from './template.service';
import { MailJob } from './mail.job';

@Module({
  imports: [TypeOrmModule.forFeature([Message, MessageTemplate]), AlertsStoreModule],
  providers: [TemplateService, OutboxService, MailTransport, MailService, SlaService],
  exports: [TemplateService, OutboxService, MailService],
})
export class CommunicationsModule {}

/** Worker only: the mail queue consumer. */
@Module({ imports: [CommunicationsModule], providers: [MailJob] })
export class CommunicationsWorkerModule {}
