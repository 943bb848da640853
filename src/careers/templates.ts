import { registerTemplate } from '../communications/template-registry';

const sample = {
  person: { name: 'Erin', firstName: 'Erin' },
  candidate: { name: 'Ada Lovelace', firstName: 'Ada' },
  opening: { title: 'Backend Engineer' },
  company: { name: 'Acme' },
  links: { status: null, privacy: null },
};

// Messages to the employee whose referral link a candidate applied through (issue 23: the referrer
// is recorded, kept informed and thanked when the candidate is hired). They name the candidate and
// the outcome, never the team's reasons or notes.
registerTemplate('referral_received', {
  audience: 'staff',
  description: 'To a referrer: the person they referred has applied',
  sample,
});
registerTemplate('referral_hired', {
  audience: 'staff',
  description: 'To a referrer: thanks, the person they referred was hired',
  sample,
});
registerTemplate('referral_closed', {
  audience: 'staff',
  description: "To a referrer: the referred person's application has ended without a hire",
  sample,
});
