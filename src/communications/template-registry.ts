/**
 * Every message template, its audience (which layout wraps it) and a complete sample context.
 * Saving an override renders it in Handlebars strict mode against the sample, so a template
 * that does not compile or names an unknown variable is refused at save time, never at send time.
 */
export type Audience = 'candidate' | 'staff';

const stagesSample = [
  { key: 'recruiter_screen', number: 1, name: 'Recruiter screen', description: 'A short first call.', current: true },
  { key: 'manager_call', number: 2, name: 'Hiring manager call', description: 'Meet the manager.', current: false },
];

export const candidateBase = {
  subject: 'Subject',
  candidate: { name: 'Ada Lovelace', firstName: 'Ada' },
  opening: { title: 'Backend Engineer' },
  company: { name: 'Acme' },
  recruiter: { name: 'Rita Recruiter', email: 'rita@example.com' },
  links: { status: 'https://example.com/status', privacy: 'https://example.com/privacy' },
  stages: stagesSample,
  stage: stagesSample[0],
  totalStages: 2,
  contactSlaBusinessDays: 3,
  compensation: { min: 100000, max: 120000, currency: 'EUR', range: 'EUR 100,000 – 120,000' },
};

const staffBase = { subject: 'Subject', company: { name: 'Acme' } };

export const TEMPLATES: Record<string, { audience: Audience; description: string; sample: Record<string, unknown> }> = {
  first_contact: { audience: 'candidate', description: 'First contact: explains the whole process, stage by stage', sample: candidateBase },
  stage_changed: {
    audience: 'candidate',
    description: 'The application moved to another stage',
    sample: { ...candidateBase, previousStage: stagesSample[0] },
  },
  checkin: {
    audience: 'candidate',
    description: '"No update yet, here is where you are" (communication SLA)',
    sample: { ...candidateBase, daysInStage: 4 },
  },
  rejection: {
    audience: 'candidate',
    description: 'A respectful rejection, with an optional personal message',
    sample: { ...candidateBase, message: 'Thank you for the conversation.' },
  },
  withdrawal: { audience: 'candidate', description: 'Confirms the candidate withdrew', sample: candidateBase },
  hired: { audience: 'candidate', description: 'Welcome after an accepted offer', sample: candidateBase },
  stale_digest: {
    audience: 'staff',
    description: 'Daily digest of stale candidates for a hiring manager',
    sample: {
      ...staffBase,
      manager: { name: 'Hank' },
      count: 1,
      plural: false,
      dashboardUrl: 'https://example.com/dashboard',
      alerts: [
        {
          candidateName: 'Ada',
          openingTitle: 'Backend Engineer',
          stageName: 'Take-home',
          days: 6,
          escalated: false,
          link: 'https://example.com/a',
        },
      ],
    },
  },
};

/** Later modules register their templates (take-home invitation, review invites, offers). */
export function registerTemplate(key: string, def: { audience: Audience; description: string; sample: Record<string, unknown> }): void {
  TEMPLATES[key] = def;
}
