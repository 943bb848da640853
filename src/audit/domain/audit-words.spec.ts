import { actionWords, changeWords, describeAudit, stripPrefix } from './audit-words';

const time = (iso: string) => `T(${iso.slice(0, 10)})`;
const names = new Map([['11111111-1111-4111-8111-111111111111', 'Erin Engineer']]);

describe('audit entries in plain words', () => {
  it('names what an API or page write did, without routes', () => {
    expect(stripPrefix('/api/v1/users/:id')).toBe('/users/:id');
    expect(stripPrefix('/admin/users/:id')).toBe('/users/:id');
    expect(actionWords('PATCH', '/api/v1/users/:id')).toBe('changed a staff account');
    expect(actionWords('POST', '/admin/users/:id')).toBe('changed a staff account');
    expect(actionWords('POST', '/api/v1/applications/:id/transitions')).toBe('moved an application to another stage');
    expect(actionWords('POST', '/dashboard/alerts/:id/ack')).toBe('acknowledged a stale alert');
    expect(actionWords('PUT', '/api/v1/openings/:id/team')).toBe('set openings › team');
    expect(actionWords('POST', '/api/v1/webhooks/:id/deliveries/:deliveryId/redeliver')).toBe('sent a webhook delivery again');
  });

  it('shows changed fields with names, role words and times, never ids or keys', () => {
    const lines = changeWords(
      {
        roles: { before: ['engineer'], after: ['engineer', 'hiring_manager'] },
        disabled_at: { before: null, after: '2027-01-02T10:00:00Z' },
        hiring_manager_id: { before: null, after: '11111111-1111-4111-8111-111111111111' },
        working_hours: { before: { start: '09:00', end: '17:00', days: [1, 2] }, after: null },
      },
      names,
      time,
    );
    expect(lines).toEqual([
      'roles: engineer → engineer, hiring manager',
      'account disabled: no → yes (since T(2027-01-02))',
      'hiring manager: none → Erin Engineer',
      'working hours: start 09:00, end 17:00, days 1, 2 → none',
    ]);
    expect(lines.join(' ')).not.toMatch(/hiring_manager|disabled_at|_id\b/);
  });

  it('says when a write was refused, with the reason, and names the subject', () => {
    const d = describeAudit(
      {
        method: 'PATCH',
        route: '/api/v1/users/:id',
        entity: { type: 'user', id: '11111111-1111-4111-8111-111111111111' },
        changes: null,
        outcome: 'failed',
        statusCode: 409,
        error: 'The last admin cannot be demoted',
      },
      names,
      time,
    );
    expect(d).toEqual({
      action: 'changed a staff account',
      subject: 'Erin Engineer',
      changes: [],
      refused: 'refused (409): The last admin cannot be demoted',
    });
    const created = describeAudit(
      {
        method: 'POST',
        route: '/admin/users',
        entity: { type: 'user', id: null },
        changes: null,
        outcome: 'succeeded',
        statusCode: 303,
        error: null,
        body: { name: 'New Person', password: '[redacted]' },
      },
      names,
      time,
    );
    expect(created.subject).toBe('New Person');
    expect(actionWords('POST', '/admin/settings')).toBe('changed the retention and privacy settings');
  });
});
