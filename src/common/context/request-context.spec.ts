import { Writable } from 'node:stream';
import pino from 'pino';
import { requestIdMixin } from '../logging/logging';
import { RequestContext, SYSTEM_ACTOR } from './request-context';

describe('RequestContext', () => {
  it('is empty outside a unit of work', () => {
    expect(RequestContext.requestId).toBeUndefined();
    expect(RequestContext.actor).toBeUndefined();
    RequestContext.setActor({ kind: 'user', id: 'u1' }); // no-op, no throw
    expect(RequestContext.actor).toBeUndefined();
  });

  it('keeps the request id and the actor across awaits, and each unit of work its own', async () => {
    const seen: Array<[string | undefined, string | null | undefined]> = [];
    const work = (id: string, user: string) =>
      RequestContext.run({ requestId: id }, async () => {
        await new Promise((r) => setTimeout(r, 5));
        RequestContext.setActor({ kind: 'user', id: user });
        await Promise.resolve();
        seen.push([RequestContext.requestId, RequestContext.actor?.id]);
      });
    await Promise.all([work('a', 'ua'), work('b', 'ub')]);
    expect(seen.sort()).toEqual([
      ['a', 'ua'],
      ['b', 'ub'],
    ]);
  });

  it('generates an id when none is given; ensure keeps an open context and opens one otherwise', () => {
    const outer = RequestContext.run({}, () => RequestContext.requestId);
    expect(outer).toMatch(/^[0-9a-f-]{36}$/);
    expect(RequestContext.run({ requestId: 'r1' }, () => RequestContext.ensure(SYSTEM_ACTOR, () => RequestContext.requestId))).toBe('r1');
    const fresh = RequestContext.ensure(SYSTEM_ACTOR, () => [RequestContext.requestId, RequestContext.actor?.kind]);
    expect(fresh[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(fresh[1]).toBe('system');
  });

  it('puts the request id on every log line written inside the context (pino mixin)', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const log = pino({ mixin: requestIdMixin }, sink);
    log.info('outside');
    RequestContext.run({ requestId: 'req-42' }, () => log.info({ messageId: 'm1' }, 'inside'));
    const [outside, inside] = lines.map((l) => JSON.parse(l));
    expect(outside.requestId).toBeUndefined();
    expect(inside).toMatchObject({ requestId: 'req-42', messageId: 'm1', msg: 'inside' });
  });
});
