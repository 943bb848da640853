import { candidateBase, registerTemplate } from '../communications/template-registry';
import { ATTESTATION_STATEMENT, RULES } from './domain/policy';

/** The take-home's candidate e-mails (files in templates/messages/), each with a complete sample context. */
const assignmentSample = {
  title: 'Word frequencies',
  language: 'JavaScript / TypeScript',
  timeGuidance: '2 hours',
  timeGuidanceMinutes: 120,
};

registerTemplate('take_home_invitation', {
  audience: 'candidate',
  description: 'The take-home invitation: the private link to the portal, the expected time, the rules and the deadline',
  sample: {
    ...candidateBase,
    assignment: assignmentSample,
    portalUrl: 'https://hiring.example.com/portal/0123456789abcdefghijklmnopqrstuvwxyzABCDEFG',
    expiresAt: 'Monday 12 January 2026, 17:00 (Europe/London)',
    invitationDays: 7,
    rules: RULES,
    attestation: ATTESTATION_STATEMENT,
  },
});

registerTemplate('submission_receipt', {
  audience: 'candidate',
  description: 'Receipt for an uploaded take-home: what we received and what happens next',
  sample: {
    ...candidateBase,
    assignment: assignmentSample,
    portalUrl: 'https://hiring.example.com/portal/0123456789abcdefghijklmnopqrstuvwxyzABCDEFG',
    submission: {
      number: 1,
      filename: 'solution.zip',
      size: '12 KB',
      fileCount: 6,
      sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      receivedAt: 'Monday 5 January 2026, 14:03 (Europe/London)',
    },
    canResubmit: true,
    resubmitNote: 'You may upload a new version until the deadline; the newest one counts.',
  },
});
