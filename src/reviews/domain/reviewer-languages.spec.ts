import { RUNTIMES } from '../../sandbox/runtimes';
import { languageOfRuntime } from '../reviews.service';
import { canonicalLanguage, displayLanguage, listsLanguage } from './reviewer-match';

describe('reviewer language match for every sandbox runtime', () => {
  const reviewer = (...languages: string[]) => ({ languages });

  it.each([
    ['java', 'Java'],
    ['go', 'Golang'],
    ['go', ' go '],
    ['ruby', 'Ruby'],
    ['rust', 'rust'],
    ['cpp', 'C++'],
    ['cpp', 'cpp'],
    ['php', 'PHP'],
    ['python', 'Python'],
    ['node', 'JavaScript'],
  ])('a %s take-home goes to a reviewer who lists "%s"', (runtime, listed) => {
    expect(listsLanguage(reviewer('SQL', listed), languageOfRuntime(runtime))).toBe(true);
  });

  it('does not send a take-home to a reviewer of another language', () => {
    expect(listsLanguage(reviewer('Java', 'C#'), languageOfRuntime('cpp'))).toBe(false);
    expect(listsLanguage(reviewer('C'), languageOfRuntime('cpp'))).toBe(false);
    expect(listsLanguage(reviewer('JavaScript'), languageOfRuntime('java'))).toBe(false);
    expect(listsLanguage(reviewer('Rust'), languageOfRuntime('ruby'))).toBe(false);
  });

  it('names each runtime language for people, and every runtime declares what it matches', () => {
    expect(['java', 'go', 'ruby', 'rust', 'cpp', 'php'].map((r) => displayLanguage(languageOfRuntime(r)))).toEqual([
      'Java',
      'Go',
      'Ruby',
      'Rust',
      'C++',
      'PHP',
    ]);
    for (const def of Object.values(RUNTIMES)) {
      expect(def.reviewLanguages.map(canonicalLanguage)).toContain(canonicalLanguage(languageOfRuntime(def.name)));
    }
  });
});
