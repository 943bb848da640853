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

  it('a task with `after` starts once those tasks end, beside the rest of their concurrent run', async () => {
    const log: string[] = [];
    let releaseSlow: () => void = () => undefined;
    const r = new SweepRegistry();
    r.register({
      name: 'slow',
      concurrent: true,
      run: async () => {
        log.push('start slow');
        await new Promise<void>((resolve) => (releaseSlow = resolve));
        log.push('end slow');
        return {};
      },
    });
    r.register({
      name: 'alerts',
      concurrent: true,
      run: async () => {
        log.push('start alerts');
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push('end alerts');
        return {};
      },
    });
    r.register({
      name: 'digest',
      concurrent: true,
      after: ['alerts'],
      run: async () => {
        log.push('start digest');
        releaseSlow(); // slow only finishes once the digest has started: a digest waiting for slow hangs
        return { digests: 1 };
      },
    });
    r.register({ name: 'last', run: async () => (log.push('last'), {}) });
    const report = await r.runAll(at);
    expect(log).toEqual(['start slow', 'start alerts', 'end alerts', 'start digest', 'end slow', 'last']);
    expect(Object.keys(report)).toEqual(['slow', 'alerts', 'digest', 'last']);
    expect(report.digest).toMatchObject({ digests: 1 });
  });

  it('a task that waits for a task registered after it is refused', () => {
    const r = new SweepRegistry();
    expect(() => r.register({ name: 'digest', after: ['alerts'], run: async () => ({}) })).toThrow(/registered before alerts/);
  });
});
