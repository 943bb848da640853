import { registerTemplate } from '../communications/template-registry';

registerTemplate('scorecard_reminder', {
  audience: 'staff',
  description: 'Reminder to an interviewer or reviewer whose scorecard is late',
  sample: {
    person: { name: 'Erin' },
    candidate: { name: 'Ada Lovelace' },
    opening: { title: 'Backend Engineer' },
    session: 'Pairing',
    due: 'Tuesday 2 March 2027, 14:00 (Europe/Berlin)',
    formUrl: 'https://example.com/interviews/1/scorecard',
    allUrl: 'https://example.com/scorecards',
    links: { status: null, privacy: null },
  },
});
