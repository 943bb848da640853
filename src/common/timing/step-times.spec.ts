import { enableStepTimes, recordStep, takeStepTimes, timed } from './step-times';

describe('step times (bench only)', () => {
  afterEach(() => enableStepTimes(false));

  it('keeps nothing unless a process turned them on', async () => {
    recordStep('a', 5);
    expect(await timed('b', async () => 42)).toBe(42);
    expect(takeStepTimes()).toEqual({});
  });

  it('once on, keeps each step’s durations until taken, also for work that throws', async () => {
    enableStepTimes();
    recordStep('a', 5);
    recordStep('a', 7);
    await expect(timed('b', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    const taken = takeStepTimes();
    expect(taken.a).toEqual([5, 7]);
    expect(taken.b).toHaveLength(1);
    expect(takeStepTimes()).toEqual({});
  });
});
