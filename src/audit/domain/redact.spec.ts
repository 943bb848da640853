import { entityOf, redactBody } from './redact';

describe('audit redaction', () => {
  it('hides secrets at any depth and keeps the rest', () => {
    expect(
      redactBody({
        email: 'a@b.c',
        password: 'hunter22',
        nested: { secret: 's', apiKey: 'k', list: [{ accessToken: 't', ok: 1 }] },
        _csrf: 'x',
      }),
    ).toEqual({
      email: 'a@b.c',
      password: '[redacted]',
      nested: { secret: '[redacted]', apiKey: '[redacted]', list: [{ accessToken: '[redacted]', ok: 1 }] },
      _csrf: '[redacted]',
    });
    expect((redactBody('x'.repeat(5000)) as string).length).toBeLessThan(2100);
  });
  it('derives the entity from the route', () => {
    expect(entityOf('/api/v1/applications/:id/transitions', { id: 'x' })).toEqual({ type: 'application', id: 'x' });
    expect(entityOf('/api/v1/candidates', {})).toEqual({ type: 'candidate', id: null });
    expect(entityOf('/api/v1/webhooks/:id/deliveries/:deliveryId/redeliver', { id: 'w', deliveryId: 'd' })).toEqual({
      type: 'webhook',
      id: 'w',
    });
    expect(entityOf('/screening/:applicationId', { applicationId: 'a' })).toEqual({ type: 'screening', id: 'a' });
    expect(entityOf('/api/v1/settings/webhooks', {})).toEqual({ type: 'settings', id: null });
    expect(entityOf('/api/v1/users/:id/reviewer-profile', { id: 'u' })).toEqual({ type: 'user', id: 'u' });
    expect(entityOf('/api/v1/busy-blocks/:id', { id: 'b' })).toEqual({ type: 'busy-block', id: 'b' });
    // Page forms count against the same entity as their API twins.
    expect(entityOf('/admin/users/:id', { id: 'u' })).toEqual({ type: 'user', id: 'u' });
    expect(entityOf('/admin/webhooks/:id/deliveries/:deliveryId/redeliver', { id: 'w', deliveryId: 'd' })).toEqual({
      type: 'webhook',
      id: 'w',
    });
    expect(entityOf('/dashboard/alerts/:id/ack', { id: 'a' })).toEqual({ type: 'alert', id: 'a' });
  });
});
