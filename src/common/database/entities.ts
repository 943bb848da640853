// Every TypeORM entity, so each process (api, worker, cli, tests) loads the same set.
import { Alert } from '../../alerts/alert.entity';
import { AuditEntry } from '../../audit/audit.entity';
import { PlatformSetting, WebhookAttempt, WebhookDelivery, WebhookEndpoint } from '../../integrations/webhook.entity';
import { Assignment, AssignmentVersion } from '../../assessments/assignment.entity';
import { Attestation, Invitation } from '../../assessments/invitation.entity';
import { AssignmentFeedback, Submission } from '../../assessments/submission.entity';
import { Candidate } from '../../candidates/candidate.entity';
import { Message, MessageTemplate } from '../../communications/message.entity';
import { AuthToken, LoginAttempt, ReviewerProfile, User } from '../../identity/user.entity';
import { INTERVIEW_ENTITIES } from '../../interviews/interview.entity';
import { Opening } from '../../openings/opening.entity';
import { Application, ApplicationEvent, Exemption } from '../../pipeline/application.entity';
import { BusyBlock, ReviewSession } from '../../reviews/review.entity';
import { SCORECARD_ENTITIES } from '../../scorecards/scorecard.entity';
import { ScreeningFormVersion } from '../../screening/screening-form.entity';
import { ScreeningSession } from '../../screening/screening-session.entity';

export const ALL_ENTITIES = [
  User,
  ReviewerProfile,
  AuthToken,
  LoginAttempt,
  Opening,
  Candidate,
  Application,
  ApplicationEvent,
  Exemption,
  Message,
  MessageTemplate,
  Alert,
  ScreeningFormVersion,
  ScreeningSession,
  Assignment,
  AssignmentVersion,
  Invitation,
  Attestation,
  Submission,
  AssignmentFeedback,
  ReviewSession,
  BusyBlock,
  ...INTERVIEW_ENTITIES,
  WebhookEndpoint,
  WebhookDelivery,
  WebhookAttempt,
  PlatformSetting,
  AuditEntry,
  ...SCORECARD_ENTITIES,
];
