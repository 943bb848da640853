import { redactCandidateLinks } from '../communications/domain/redact-links';
import { parseAnswer } from './survey.service';
import { readSurveyToken, surveyLink, surveyToken } from './survey-token';

const SECRET = 'x'.repeat(40);
const ID = '0b7e3c1a-5d2f-4e8a-9c61-2f4a7d9e1b35';

describe('survey link', () => {
  it('round-trips the application id and refuses a changed, foreign-key or malformed token', () => {
    const t = surveyToken(SECRET, ID);
    expect(readSurveyToken(SECRET, t)).toBe(ID);
    expect(readSurveyToken('y'.repeat(40), t)).toBeNull();
    const flipped = (t[0] === 'A' ? 'B' : 'A') + t.slice(1);
    expect(readSurveyToken(SECRET, flipped)).toBeNull();
    for (const bad of ['', 'short', `${t}x`, t.replace(/.$/, '!'), null, 42]) expect(readSurveyToken(SECRET, bad)).toBeNull();
  });

  it('is hidden from stored message bodies like the take-home portal link', () => {
    const link = surveyLink('https://jobs.example', ID, SECRET);
    expect(redactCandidateLinks(`Answer here: ${link}`)).toBe('Answer here: https://jobs.example/portal/[hidden]/survey');
  });
});

describe('survey answer', () => {
  it('takes a whole score from 0 to 10, an optional informed answer and comment', () => {
    expect(parseAnswer({ score: '0' })).toEqual({ score: 0, informed: null, comment: null });
    expect(parseAnswer({ score: 10, informed: 'partly', comment: '  ok ' })).toEqual({ score: 10, informed: 'partly', comment: 'ok' });
  });
  it('refuses anything else with a message naming the field', () => {
    for (const score of [undefined, '', '11', '-1', '3.5', 'ten', '007']) expect(() => parseAnswer({ score })).toThrow(/^score: /);
    expect(() => parseAnswer({ score: '5', informed: 'maybe' })).toThrow(/^informed: /);
    expect(() => parseAnswer({ score: '5', comment: 'a'.repeat(2001) })).toThrow(/^comment: /);
  });
});
