import { parseCsv } from './csv';

test('plain rows', () => expect(parseCsv('a,b\n1,2')).toEqual([['a', 'b'], ['1', '2']]));
test('empty fields', () => expect(parseCsv('a,,c')).toEqual([['a', '', 'c']]));
test('quoted field with a comma', () => expect(parseCsv('"x, y",z')).toEqual([['x, y', 'z']]));
test('escaped quotes', () => expect(parseCsv('"say ""hi""",ok')).toEqual([['say "hi"', 'ok']]));
test('trailing newline', () => expect(parseCsv('a,b\n')).toEqual([['a', 'b']]));
