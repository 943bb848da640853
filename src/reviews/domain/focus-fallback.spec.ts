import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { functionsOf, largestChangedFunction } from './focus-fallback';

const corpus = (...p: string[]) => path.join(__dirname, '../../../test/sandbox/corpus-langs', ...p);
const file = (rel: string, ...p: string[]) => ({ path: rel, content: readFileSync(corpus(...p), 'utf8') });

describe('focus excerpt fallback: the largest changed function', () => {
  it.each([
    ['go', 'account.go', ['go', 'bank-account', 'solution', 'account.go'], 'Withdraw', 34],
    [
      'java',
      'src/main/java/com/example/StringCalculator.java',
      ['java', 'string-calculator', 'solution', 'src/main/java/com/example/StringCalculator.java'],
      'add',
      8,
    ],
    ['rust', 'src/lib.rs', ['rust', 'roman', 'solution', 'src/lib.rs'], 'to_roman', 6],
    ['cpp', 'roman.cpp', ['cpp', 'roman-catch2', 'solution', 'roman.cpp'], 'to_roman', 5],
    ['php', 'src/Cart.php', ['php', 'shopping-cart', 'solution', 'src/Cart.php'], 'add', 14],
    ['ruby', 'lib/stack.rb', ['ruby', 'stack-rspec', 'solution', 'lib/stack.rb'], 'pop', 13],
  ])('%s: finds %s', (language, rel, p, name, startLine) => {
    const focus = largestChangedFunction([file(rel, ...(p as string[]))]);
    expect(focus).toMatchObject({ file: rel, language, name, startLine });
    expect(focus!.endLine).toBeGreaterThan(focus!.startLine);
    expect(focus!.reasons[0]).toMatch(/largest function/);
  });

  it('skips tests and functions left as the starter files had them', () => {
    const solution = { path: 'account.go', content: readFileSync(corpus('go', 'bank-account', 'solution', 'account.go'), 'utf8') };
    const tests = { path: 'account_test.go', content: readFileSync(corpus('go', 'bank-account', 'tests', 'account_test.go'), 'utf8') };
    const starterWithdraw = { path: 'account.go', content: solution.content };
    expect(largestChangedFunction([tests])).toBeNull();
    // Withdraw and Deposit given by the starter: the largest one the candidate wrote remains
    const starter = { ...starterWithdraw, content: solution.content.replace(/func \(a \*Account\) (Balance)[\s\S]*?\n}\n/, '') };
    expect(largestChangedFunction([solution], { starter: [starter] })).toMatchObject({ name: 'Balance' });
  });

  it('reads brace bodies without being fooled by braces in strings', () => {
    const src = 'fn a() {\n    let s = "}}}";\n    println!("{}", s);\n}\n\nfn b() {}\n';
    expect(functionsOf('x.rs', src)).toEqual([
      expect.objectContaining({ name: 'a', startLine: 1, endLine: 4 }),
      expect.objectContaining({ name: 'b', startLine: 6, endLine: 6 }),
    ]);
  });
});
