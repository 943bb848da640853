/** Public API of the assessments module. */
export { AssessmentsModule, AssessmentsWorkerModule } from './assessments.module';
export { AssignmentsService } from './assignments.service';
export { GradingService } from './grading.service';
export { SubmissionsService, submissionDto } from './submissions.service';
export type { SubmissionFile } from './submissions.service';
export { InvitationsService } from './invitations.service';
export { Assignment, AssignmentVersion } from './assignment.entity';
export { Attestation, Invitation } from './invitation.entity';
export { AssignmentFeedback, Submission } from './submission.entity';
export type { GradingResult } from './submission.entity';
