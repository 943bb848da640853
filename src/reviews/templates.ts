import { registerTemplate } from '../communications/template-registry';

const sample = {
  subject: 'Subject',
  company: { name: 'Acme' },
  person: { name: 'Erin' },
  candidate: { name: 'Ada Lovelace', firstName: 'Ada' },
  reviewer: { name: 'Erin Engineer', firstName: 'Erin' },
  meetingUrl: 'https://meet.example.com/erin',
  opening: { title: 'Backend Engineer' },
  links: { status: null, privacy: 'https://example.com/privacy' },
  when: 'Tuesday 2 March 2027, 14:00–15:00 (Europe/Berlin)',
  duration: 60,
  language: 'Python',
  packetUrl: 'https://example.com/reviews/1',
  forReviewer: true,
  rescheduled: false,
  reason: 'The candidate withdrew.',
};
// Candidate-facing variants use the candidate layout (with the privacy footer); the reviewer's the staff one.
registerTemplate('review_invitation', { audience: 'staff', description: 'Code review invitation to the reviewer (with ICS)', sample });
registerTemplate('review_invitation_candidate', {
  audience: 'candidate',
  description: 'Code review invitation to the candidate (with ICS)',
  sample,
});
registerTemplate('review_cancelled', { audience: 'staff', description: 'Code review cancelled (with ICS CANCEL)', sample });
registerTemplate('review_times_offered', {
  audience: 'candidate',
  description: 'Self-scheduling: the candidate is offered code review times and a private link to choose one',
  sample: {
    ...sample,
    zone: 'Europe/London',
    times: ['Tuesday 2 March 2027, 10:00–11:00 (Europe/London)', 'Tuesday 2 March 2027, 14:00–15:00 (Europe/London)'],
    again: false,
    pickUrl: 'https://hiring.example.com/portal/0123456789abcdefghijklmnopqrstuvwxyzABCDEFG/review-time',
    expires: 'Thursday 4 March 2027, 10:00 (Europe/London)',
  },
});
