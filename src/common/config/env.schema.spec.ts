import { EnvError, parseEnv } from './env.schema';

describe('WORKER_QUEUES', () => {
  it('defaults to every queue', () => {
    expect(parseEnv({}).WORKER_QUEUES).toEqual(['mail', 'grading', 'sweep', 'webhooks']);
  });
  it('takes a comma-separated list, ignoring spaces, case and repeats', () => {
    expect(parseEnv({ WORKER_QUEUES: ' Grading ' }).WORKER_QUEUES).toEqual(['grading']);
    expect(parseEnv({ WORKER_QUEUES: 'mail,sweep, webhooks,mail' }).WORKER_QUEUES).toEqual(['mail', 'sweep', 'webhooks']);
  });
  it('refuses an unknown queue or an empty list, naming the variable and the queues it knows', () => {
    for (const bad of ['mail,gradng', ',']) {
      let err: unknown;
      try {
        parseEnv({ WORKER_QUEUES: bad });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(EnvError);
      expect((err as EnvError).problems).toEqual([{ variable: 'WORKER_QUEUES', message: expect.stringMatching(/mail, grading, sweep, webhooks/) }]);
    }
    expect(() => parseEnv({ WORKER_QUEUES: 'mail,gradng' })).toThrow(/unknown queue\(s\) gradng/);
  });
});
