import { Batcher } from './batcher';

describe('Batcher', () => {
  const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('runs the requests that arrive within its wait as one call, answering each in order', async () => {
    const calls: number[][] = [];
    const b = new Batcher<number, string>(
      async (xs) => {
        calls.push(xs);
        return xs.map((x) => `#${x}`);
      },
      () => false,
      20,
    );
    const first = b.add(1);
    await tick(5);
    const answers = await Promise.all([first, b.add(2), b.add(3)]);
    expect(answers).toEqual(['#1', '#2', '#3']);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it('goes at once when full, and a request after that starts the next batch', async () => {
    const calls: number[][] = [];
    const b = new Batcher<number, number>(
      async (xs) => {
        calls.push(xs);
        return xs;
      },
      (n) => n >= 2,
      10_000,
    );
    await Promise.all([b.add(1), b.add(2)]);
    expect(calls).toEqual([[1, 2]]);
    let waiting = 0;
    const b2 = new Batcher<number, number>(
      async (xs) => xs,
      (n) => n >= waiting,
      10_000,
    );
    waiting = 2;
    const lone = b2.add(7);
    waiting = 1; // the other request will not come (its delivery ended)
    b2.recheck();
    await expect(lone).resolves.toBe(7);
  });

  it('fails every request of a batch whose run failed', async () => {
    const b = new Batcher<number, number>(
      async () => {
        throw new Error('database gone');
      },
      (n) => n >= 2,
      50,
    );
    const results = await Promise.allSettled([b.add(1), b.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
