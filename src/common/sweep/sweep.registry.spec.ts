import { SweepRegistry } from './sweep.registry';

/** Concurrent tasks next to each other run together; any other task waits for the ones before it. */
describe('SweepRegistry.runAll', () => {
  const at = new Date('2027-01-04T09:00:00Z');

  it('starts adjacent concurrent tasks together, the next task after all of them, and reports in list order', async () => {
    const log: string[] = [];
    const gate: Record<string, () => void> = {};
    const task = (name: string, concurrent: boolean, waitFor?: string) => ({
      name,
      concurrent,
      run: async () => {
        log.push(`start ${name}`);
        if (waitFor) await new Promise<void>((resolve) => (gate[waitFor] = resolve));
        log.push(`end ${name}`);
        if (name === 'b') gate.a(); // b finishes, then lets a finish: a started before b ended
        return { done: 1 };
      },
    });
    const r = new SweepRegistry();
    r.register(task('first', false));
    r.register(task('a', true, 'a'));
    r.register(task('b', true));
    r.register(task('after', false));
    const report = await r.runAll(at);
    expect(log).toEqual(['start first', 'end first', 'start a', 'start b', 'end b', 'end a', 'start after', 'end after']);
    expect(Object.keys(report)).toEqual(['first', 'a', 'b', 'after']);
    expect(report.a).toMatchObject({ done: 1 });
  });

  it('a concurrent task that fails is reported failed; the others finish', async () => {
    const r = new SweepRegistry();
    (r as unknown as { logger: { error: () => void; debug: () => void } }).logger = { error: () => undefined, debug: () => undefined };
    r.register({ name: 'bad', concurrent: true, run: () => Promise.reject(new Error('boom')) });
    r.register({
      name: 'good',
      concurrent: true,
      run: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { n: 2 };
      },
    });
    const report = await r.runAll(at);
    expect(report.bad).toMatchObject({ failed: 1 });
    expect(report.good).toMatchObject({ n: 2 });
  });
});
