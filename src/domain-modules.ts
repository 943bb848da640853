import { Module, Type } from '@nestjs/common';
import { AlertsModule } from './alerts/alerts.module';
import { AssessmentsModule, AssessmentsWorkerModule } from './assessments/assessments.module';
import { AuditModule } from './audit/audit.module';
import { CalendarsModule } from './calendars/calendars.module';
import { SelfSchedulingModule } from './calendars/self-scheduling.module';
import { CandidatesModule } from './candidates/candidates.module';
import { BulkApplicationsModule } from './careers/bulk-applications.module';
import { CareersModule } from './careers/careers.module';
import { CommunicationsModule, CommunicationsWorkerModule } from './communications/communications.module';
import { QueueName } from './common/queues/queues';
import { SweepJob } from './common/sweep/sweep.job';
import { InsightsModule } from './insights/insights.module';
import { IntegrationsModule, IntegrationsWorkerModule } from './integrations/integrations.module';
import { InterviewsModule } from './interviews/interviews.module';
import { OpeningsModule } from './openings/openings.module';
import { PipelineModule } from './pipeline/pipeline.module';
import { PrivacyModule } from './privacy/privacy.module';
import { ReviewsModule } from './reviews/reviews.module';
import { ScreeningModule } from './screening/screening.module';
import { ScorecardsModule } from './scorecards/scorecards.module';
import { InboxModule, InboxWorkerModule } from './inbox/inbox.module';
import { SurveyModule } from './survey/survey.module';

@Module({ providers: [SweepJob] })
class SweepWorkerModule {}

// The general worker's mail side: outbound delivery and the team mailbox reader (src/inbox).
@Module({ imports: [CommunicationsWorkerModule, InboxWorkerModule] })
class MailWorkerModule {}

// The domain modules every process loads (the API serves their controllers). Their order is the
// order of their routes in Express, which matches a request against them one at a time: the
// hottest read, PipelineModule's `GET /applications/:id`, comes first (issue 25), right after
// BulkApplicationsModule, whose `GET /applications/export.csv` `:id` would otherwise take
// (test/int/route-order.e2e-spec.ts fails on any route an earlier one shadows).
export const DOMAIN_MODULES: Type<unknown>[] = [
  BulkApplicationsModule,
  PipelineModule,
  CommunicationsModule,
  OpeningsModule,
  CandidatesModule,
  CareersModule,
  AlertsModule,
  ScreeningModule,
  AssessmentsModule,
  ReviewsModule,
  InterviewsModule,
  InsightsModule,
  IntegrationsModule,
  PrivacyModule,
  AuditModule,
  ScorecardsModule,
  InboxModule,
  CalendarsModule,
  SelfSchedulingModule,
  SurveyModule,
];
// Queue consumers, loaded only by a worker process, each by the workers that consume its queue
// (WORKER_QUEUES): the grading consumer brings the warm sandbox pool, the webhooks consumer its
// outbox poller.
export const WORKER_MODULES: Record<QueueName, Type<unknown>> = {
  [QueueName.Mail]: MailWorkerModule,
  [QueueName.Sweep]: SweepWorkerModule,
  [QueueName.Grading]: AssessmentsWorkerModule,
  [QueueName.Webhooks]: IntegrationsWorkerModule,
};
