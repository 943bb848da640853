import { candidateBase, registerTemplate } from '../communications/template-registry';

const session = {
  kind: 'pairing',
  kindName: 'Pairing',
  when: 'Wednesday 3 March 2027, 14:00–15:00 (Europe/Berlin)',
  durationMinutes: 60,
  interviewers: 'Erin Engineer and Sam Senior',
  coInterviewers: 'Sam Senior',
};
const staff = {
  subject: 'Subject',
  company: { name: 'Acme' },
  person: { name: 'Erin' },
  candidate: { name: 'Ada Lovelace', firstName: 'Ada' },
  opening: { title: 'Backend Engineer' },
  session,
  applicationUrl: 'https://example.com/dashboard/applications/1',
};

// Interviewers get the staff layout; the candidate's variants the candidate layout (privacy footer).
registerTemplate('interview_invitation', {
  audience: 'staff',
  description: 'Interview invitation to an interviewer (with ICS REQUEST)',
  sample: staff,
});
registerTemplate('interview_invitation_candidate', {
  audience: 'candidate',
  description: 'Interview invitation to the candidate (with ICS REQUEST)',
  sample: { ...candidateBase, session },
});
registerTemplate('interview_cancelled', {
  audience: 'staff',
  description: 'Interview cancelled, to an interviewer (with ICS CANCEL)',
  sample: { ...staff, reason: 'The candidate asked to move it.' },
});
registerTemplate('interview_cancelled_candidate', {
  audience: 'candidate',
  description: 'Interview cancelled, to the candidate (with ICS CANCEL)',
  sample: { ...candidateBase, session, candidateMessage: 'We will propose a new time tomorrow.', closed: false },
});
registerTemplate('offer', {
  audience: 'candidate',
  description: 'The offer: amount within the range discussed early, start date, time off between jobs',
  sample: {
    ...candidateBase,
    offer: { amount: 110000, currency: 'EUR', amountText: '€110,000', startDate: '2027-05-03', startDateText: 'Monday 3 May 2027' },
  },
});

registerTemplate('interview_times_offered', {
  audience: 'candidate',
  description: 'Self-scheduling: the candidate is offered start times for the interview loop and a private link to choose one',
  sample: {
    person: { name: 'Ada' },
    candidate: { name: 'Ada Lovelace', firstName: 'Ada' },
    opening: { title: 'Backend Engineer' },
    links: { status: null, privacy: 'https://example.com/privacy' },
    sessions: [{ kind: 'Pairing', duration: 60 }],
    times: ['Tuesday 2 March 2027, 10:00–12:00 (Europe/London)'],
    zone: 'Europe/London',
    again: false,
    pickUrl: 'https://hiring.example.com/portal/0123456789abcdefghijklmnopqrstuvwxyzABCDEFG/interview-time',
    expires: 'Thursday 4 March 2027, 10:00 (Europe/London)',
  },
});
