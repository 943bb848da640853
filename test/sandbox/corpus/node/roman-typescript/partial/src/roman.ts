const PAIRS: Array<[number, string]> = [
  [1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'],
  [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
];
const VALUES: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };

export function toRoman(n: number): string {
  let out = '';
  for (const [value, letters] of PAIRS) {
    while (n >= value) {
      out += letters;
      n -= value;
    }
  }
  return out;
}

export function fromRoman(s: string): number {
  return [...s].reduce((sum, ch) => sum + VALUES[ch], 0);
}
