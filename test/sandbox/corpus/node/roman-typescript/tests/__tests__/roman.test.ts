import { fromRoman, toRoman } from '../src/roman';

describe('toRoman', () => {
  it.each([
    [1, 'I'],
    [4, 'IV'],
    [1994, 'MCMXCIV'],
  ])('%i is %s', (n: number, r: string) => expect(toRoman(n)).toBe(r));
});

describe('fromRoman', () => {
  it('reads additive numerals', () => expect(fromRoman('XXVII')).toBe(27));
  it('reads subtractive numerals', () => expect(fromRoman('MCMXCIV')).toBe(1994));
  it('round-trips', () => {
    for (let n = 1; n < 200; n++) expect(fromRoman(toRoman(n))).toBe(n);
  });
});
