import { parseScreeningForm } from '../../src/screening/screening-pages.controller';
import { assignQuestionIds } from '../../src/screening/screening.service';

describe('assignQuestionIds', () => {
  it('numbers questions without an id', () => {
    expect(assignQuestionIds([{}, {}, {}]).map((q) => q.id)).toEqual(['q1', 'q2', 'q3']);
  });

  it('keeps usable author ids and never repeats one', () => {
    const ids = assignQuestionIds([{ id: 'dns' }, { id: 'dns' }, { id: 'q2' }, { id: 'not a slug!' }, { id: '' }]).map((q) => q.id);
    expect(ids).toEqual(['dns', 'q2-2', 'q2', 'q4', 'q5']);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('parseScreeningForm (the page posts flat fields)', () => {
  it('turns given_i / override_i / note_i into answers and reads the checklist and decision', () => {
    expect(
      parseScreeningForm({
        _csrf: 'x',
        formVersion: '3',
        questionId_0: 'a',
        given_0: ' Web ',
        override_0: '',
        note_0: '',
        questionId_1: 'b',
        given_1: 'loot',
        override_1: 'correct',
        note_1: 'heard loop',
        questionId_2: 'c',
        override_2: 'wrong',
        processExplained: 'on',
        nextJobAnswer: 'lead',
        outcome: 'advance',
      }),
    ).toEqual({
      answers: [
        { questionId: 'a', given: ' Web ', override: undefined, note: '' },
        { questionId: 'b', given: 'loot', override: true, note: 'heard loop' },
        { questionId: 'c', given: '', override: false, note: undefined },
      ],
      checklist: { processExplained: true, compensationDiscussed: false, nextJobAnswer: 'lead' },
      outcome: 'advance',
      candidateMessage: undefined,
      formVersion: 3,
    });
  });

  it('ignores an unknown decision and repeated fields', () => {
    const r = parseScreeningForm({ outcome: 'hire', questionId_0: ['a', 'b'], formVersion: 'x' });
    expect(r.outcome).toBeUndefined();
    expect(r.answers).toEqual([]);
    expect(r.formVersion).toBeUndefined();
  });
});
