import { candidateBase, registerTemplate } from '../communications/template-registry';

// A message a recruiter or hiring manager writes to the candidate (the application page's
// "Send message" form, POST /applications/:id/messages), in the candidate layout.
registerTemplate('staff_message', {
  audience: 'candidate',
  description: 'A message written by the team to the candidate (free text)',
  sample: {
    ...candidateBase,
    messageSubject: 'Your next step',
    messageText: 'Hi Ada,\n\nThank you for the call today.',
    sender: { name: 'Rita Recruiter' },
  },
});
