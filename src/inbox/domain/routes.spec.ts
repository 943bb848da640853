import { parseRoutes, withDefaults } from './routes';

describe('notification routes', () => {
  const none = { slack: false, teams: false };
  it('defaults every kind and the digest to e-mail, and keeps targets in a fixed order', () => {
    const r = withDefaults({ stale: ['teams', 'email'], nudge: [] });
    expect(r.stale).toEqual(['email', 'teams']);
    expect(r.nudge).toEqual(['email']);
    expect(r.digest).toEqual(['email']);
  });
  it('replaces only the kinds given', () => {
    const out = parseRoutes({ stale: ['slack'] }, withDefaults({ reply_overdue: ['email', 'teams'] }), { slack: true, teams: true });
    expect(out).toEqual({ routes: expect.objectContaining({ stale: ['slack'], reply_overdue: ['email', 'teams'], digest: ['email'] }) });
  });
  it('names the field of each problem', () => {
    expect(parseRoutes({ stale: [] }, withDefaults({}), none)).toEqual({ error: expect.stringMatching(/^routes\.stale must name/) });
    expect(parseRoutes({ pager: ['email'] }, withDefaults({}), none)).toEqual({
      error: expect.stringMatching(/^routes\.pager is not a kind/),
    });
    expect(parseRoutes({ digest: ['sms'] }, withDefaults({}), none)).toEqual({ error: expect.stringMatching(/^routes\.digest may only/) });
    expect(parseRoutes({ stale: ['slack'] }, withDefaults({}), none)).toEqual({
      error: expect.stringMatching(/^routes\.stale names slack .*slackUrl/),
    });
    expect(parseRoutes(['email'], withDefaults({}), none)).toEqual({ error: expect.stringMatching(/^routes must be an object/) });
  });
});
