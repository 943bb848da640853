// Every migration, in order. Committed migrations are never edited; add a new file instead.
import { Identity1763800000000 } from './1763800000000-Identity';
import { Pipeline1763800100000 } from './1763800100000-Pipeline';
import { Reviews1763800400000 } from './1763800400000-Reviews';
import { Screening1763800200000 } from './1763800200000-Screening';
import { Assessments1763800300000 } from './1763800300000-Assessments';
import { Interviews1763800500000 } from './1763800500000-Interviews';
import { Integrations1763800600000 } from './1763800600000-Integrations';
import { SweepIndexes1763800700000 } from './1763800700000-SweepIndexes';
import { OnboardingBuddy1763800800000 } from './1763800800000-OnboardingBuddy';
import { GradingIntegrity1796543889275 } from './1796543889275-GradingIntegrity';
import { HiringTeams1796543895456 } from './1796543895456-HiringTeams';
import { LoginLimits1796543916685 } from './1796543916685-LoginLimits';
import { SsoSubject1796546475955 } from './1796546475955-SsoSubject';
import { MessageSecrets1796544298143 } from './1796544298143-MessageSecrets';
import { ReviewerMeetingLink1796543849947 } from './1796543849947-ReviewerMeetingLink';
import { Careers1796544586410 } from './1796544586410-Careers';
import { ApplicationQuestions1796554397420 } from './1796554397420-ApplicationQuestions';
import { SearchVectorInline1796557048659 } from './1796557048659-SearchVectorInline';
import { AlertRouting1796558882048 } from './1796558882048-AlertRouting';
import { CandidateSurvey1796559065380 } from './1796559065380-CandidateSurvey';
import { SlotOffers1796565209978 } from './1796565209978-SlotOffers';
import { InterviewOfferSessions1796575346680 } from './1796575346680-InterviewOfferSessions';
import { CalendarBusyZone1796576618988 } from './1796576618988-CalendarBusyZone';
import { RetentionCreatedIndex1796610202145 } from './1796610202145-RetentionCreatedIndex';
import { Scorecards1796543988844 } from './1796543988844-Scorecards';
import { Inbox1796554038167 } from './1796554038167-Inbox';
import { Calendars1796554213703 } from './1796554213703-Calendars';

export const ALL_MIGRATIONS = [
  Identity1763800000000,
  Pipeline1763800100000,
  Screening1763800200000,
  Assessments1763800300000,
  Reviews1763800400000,
  Interviews1763800500000,
  Integrations1763800600000,
  SweepIndexes1763800700000,
  OnboardingBuddy1763800800000,
  GradingIntegrity1796543889275,
  HiringTeams1796543895456,
  LoginLimits1796543916685,
  MessageSecrets1796544298143,
  SsoSubject1796546475955,
  ReviewerMeetingLink1796543849947,
  Careers1796544586410,
  Scorecards1796543988844,
  Inbox1796554038167,
  Calendars1796554213703,
  ApplicationQuestions1796554397420,
  SearchVectorInline1796557048659,
  AlertRouting1796558882048,
  CandidateSurvey1796559065380,
  SlotOffers1796565209978,
  InterviewOfferSessions1796575346680,
  CalendarBusyZone1796576618988,
  RetentionCreatedIndex1796610202145,
];
