import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AlertsModule } from '../alerts/alerts.module';
import { CommunicationsModule } from '../communications/communications.module';
import { SandboxModule } from '../sandbox';
import {
  ApplicationAssessmentsController,
  AssignmentsController,
  InvitationsController,
  SubmissionsController,
} from './assessments.controller';
import { Assignment, AssignmentVersion } from './assignment.entity';
import { AssignmentsService } from './assignments.service';
import { GradingJob } from './grading.job';
import { GradingService } from './grading.service';
import { Attestation, Invitation } from './invitation.entity';
import { InvitationsService } from './invitations.service';
import { PortalPagesController } from './portal-pages.controller';
import { PortalController } from './portal.controller';
import { PortalService } from './portal.service';
import { AssignmentFeedback, Submission } from './submission.entity';
import { SubmissionsService } from './submissions.service';
import { SubmitSolution } from './submit-solution.usecase';
import './templates';

/**
 * Take-home assessments: assignments and versions (published only when the reference solution
 * passes every hidden test in the sandbox), invitations with private portal links, attestations,
 * submissions graded in the sandbox, candidate feedback. Other modules react to grading through
 * GradingService.onGraded.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Assignment, AssignmentVersion, Invitation, Attestation, Submission, AssignmentFeedback]),
    CommunicationsModule,
    AlertsModule,
    SandboxModule,
  ],
  controllers: [
    AssignmentsController,
    ApplicationAssessmentsController,
    InvitationsController,
    SubmissionsController,
    PortalController,
    PortalPagesController,
  ],
  providers: [AssignmentsService, InvitationsService, PortalService, SubmitSolution, SubmissionsService, GradingService],
  exports: [AssignmentsService, InvitationsService, SubmissionsService, GradingService],
})
export class AssessmentsModule {}

/** Worker only: the grading queue consumer. */
@Module({ imports: [AssessmentsModule, SandboxModule], providers: [GradingJob] })
export class AssessmentsWorkerModule {}
