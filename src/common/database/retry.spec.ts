import { QueryFailedError } from 'typeorm';
import { retryOnConflict } from './retry';

const pgError = (code: string) => new QueryFailedError('SELECT 1', [], Object.assign(new Error(`pg ${code}`), { code }));

describe('retryOnConflict', () => {
  it('runs again after a deadlock or a serialization failure, telling each retry', async () => {
    const codes = ['40P01', '40001'];
    const retried: number[] = [];
    let calls = 0;
    const out = await retryOnConflict(
      async () => {
        calls++;
        if (codes.length) throw pgError(codes.shift()!);
        return 'done';
      },
      4,
      (_e, attempt) => retried.push(attempt),
    );
    expect({ out, calls, retried }).toEqual({ out: 'done', calls: 3, retried: [1, 2] });
  });

  it('throws any other error at once, and a conflict on the last attempt', async () => {
    /** How many times fn ran before retryOnConflict gave up with the error it threw. */
    const callsUntilThrown = async (code: string, attempts: number) => {
      let calls = 0;
      await expect(
        retryOnConflict(async () => {
          calls++;
          throw pgError(code);
        }, attempts),
      ).rejects.toThrow(`pg ${code}`);
      return calls;
    };
    expect(await callsUntilThrown('23505', 4)).toBe(1);
    expect(await callsUntilThrown('40P01', 3)).toBe(3);
  });
});
