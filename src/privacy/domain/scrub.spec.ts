import { eraseStrings, literalPattern, needlePatterns, sanitizeEventData } from './scrub';

describe('sanitizeEventData', () => {
  it('keeps ids, instants, numbers and stage codes; drops free text', () => {
    const d = {
      from: 'recruiter_screen',
      to: 'manager_call',
      kind: 'forward',
      skipped: ['take_home'],
      stageVisit: 2,
      note: 'Grace was great',
      usedPublicCodeExemption: false,
      messageId: '5f0c3a4e-3b1e-4c57-9d0e-0a1b2c3d4e5f',
      subject: 'Hi Grace',
      dueAt: '2027-01-12T10:00:00.000Z',
      url: 'https://github.com/grace',
      reason: null,
      score: 87.5,
      answers: [{ questionId: 'q1', given: 'web browsers' }],
    };
    expect(sanitizeEventData(d)).toEqual({
      from: 'recruiter_screen',
      to: 'manager_call',
      kind: 'forward',
      skipped: ['take_home'],
      stageVisit: 2,
      usedPublicCodeExemption: false,
      messageId: '5f0c3a4e-3b1e-4c57-9d0e-0a1b2c3d4e5f',
      dueAt: '2027-01-12T10:00:00.000Z',
      reason: null,
      score: 87.5,
      answers: [{}],
      erased: ['note', 'subject', 'url'],
    });
  });
  it('drops a code-looking value under a key that is not a code', () => {
    expect(sanitizeEventData({ text: 'grace', stage: 'Grace Hopper' })).toEqual({ erased: ['text', 'stage'] });
  });
  it('is idempotent', () => {
    const once = sanitizeEventData({ note: 'x', to: 'offer' });
    expect(sanitizeEventData(once)).toEqual(once);
  });
});

describe('needle patterns', () => {
  const re = (p: string) => new RegExp(p.replace(/\\m/g, '\\b').replace(/\\M/g, '\\b'), 'gi');
  it('escapes and matches whole names with any spacing', () => {
    expect(literalPattern('Dr. A (Jr)', false)).toBe('Dr\\.\\s+A\\s+\\(Jr\\)');
    expect(re(literalPattern('Grace Hopper', true)).test('Ask grace  hopper now')).toBe(true);
    expect(re(literalPattern('Ann Lee', true)).test('Joann Leeds')).toBe(false);
  });
  it('orders e-mail before names and ignores very short values', () => {
    const p = needlePatterns({ names: ['Grace Hopper', 'Gr'], emails: ['grace@example.com'], others: ['+44 20 7946 0000'] }, 'abc');
    expect(p.replacements.map((r) => r[1])).toEqual(['erased-abc@invalid', '[erased]', 'Erased candidate']);
    expect(p.any).toContain('grace@example\\.com');
    expect(p.any).not.toMatch(/\|Gr$/);
    expect(needlePatterns({ names: [], emails: [], others: [] }, 'x').any).toBeNull();
  });
});

describe('eraseStrings', () => {
  it('keeps the shape, ids, numbers and booleans', () => {
    expect(
      eraseStrings({
        to: 'manager_call',
        note: 'Grace',
        n: 2,
        ok: true,
        id: '5f0c3a4e-3b1e-4c57-9d0e-0a1b2c3d4e5f',
        list: ['a', 1],
        nested: { x: null },
      }),
    ).toEqual({
      to: '[erased]',
      note: '[erased]',
      n: 2,
      ok: true,
      id: '5f0c3a4e-3b1e-4c57-9d0e-0a1b2c3d4e5f',
      list: ['[erased]', 1],
      nested: { x: null },
    });
  });
});
