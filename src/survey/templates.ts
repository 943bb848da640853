import { candidateBase, registerTemplate } from '../communications/template-registry';

// The candidate experience survey (issue 22), sent when an application ends, whatever the outcome.
registerTemplate('experience_survey', {
  audience: 'candidate',
  description: 'After an application ends: a short optional survey on how we treated the candidate',
  sample: { ...candidateBase, survey: { url: 'https://example.com/portal/token/survey' } },
});
