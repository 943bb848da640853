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
      expect((err as EnvError).problems).toEqual([
        { variable: 'WORKER_QUEUES', message: expect.stringMatching(/mail, grading, sweep, webhooks/) },
      ]);
    }
    expect(() => parseEnv({ WORKER_QUEUES: 'mail,gradng' })).toThrow(/unknown queue\(s\) gradng/);
  });
});

describe('SESSION_SECRET', () => {
  it('refuses a "change-me" placeholder, naming the variable', () => {
    expect(() => parseEnv({ SESSION_SECRET: 'change-me-to-a-long-random-secret' })).toThrow(/SESSION_SECRET: is a placeholder/);
  });
  it('when unset, is generated once into the data directory (0600) and read back by every later start', () => {
    const { mkdtempSync, statSync, readFileSync } = jest.requireActual('node:fs') as typeof import('node:fs');
    const dir = mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'secret-'));
    const { rootSecretFile } = jest.requireActual('./env.schema') as typeof import('./env.schema');
    const first = parseEnv({ DATA_DIR: dir }, rootSecretFile).SESSION_SECRET;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(parseEnv({ DATA_DIR: dir }, rootSecretFile).SESSION_SECRET).toBe(first);
    expect(readFileSync(`${dir}/session-secret`, 'utf8').trim()).toBe(first);
    expect(statSync(`${dir}/session-secret`).mode & 0o077).toBe(0);
    expect(parseEnv({ DATA_DIR: dir, SESSION_SECRET: 'given-secret-0123456789' }, rootSecretFile).SESSION_SECRET).toBe(
      'given-secret-0123456789',
    );
  });
});

describe('TRUST_PROXY', () => {
  it('takes true/false, a hop count or a list of addresses and names, and refuses anything else', () => {
    expect(parseEnv({}).TRUST_PROXY).toEqual(['loopback']);
    expect(parseEnv({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: 'TRUE' }).TRUST_PROXY).toBe(true);
    expect(parseEnv({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(parseEnv({ TRUST_PROXY: '10.0.0.0/8, loopback' }).TRUST_PROXY).toEqual(['10.0.0.0/8', 'loopback']);
    expect(() => parseEnv({ TRUST_PROXY: 'my-proxy.example' })).toThrow(/TRUST_PROXY/);
  });
});

describe('single sign-on settings', () => {
  const sso = { OIDC_ISSUER: 'https://id.example.com/realms/acme', OIDC_CLIENT_ID: 'hiring', OIDC_CLIENT_SECRET: 's3cret' };
  it('reads the role map, several roles per value allowed', () => {
    expect(parseEnv({ ...sso, OIDC_ROLE_MAP: 'hiring-admins=admin, eng=engineer,eng=hiring_manager' }).OIDC_ROLE_MAP).toEqual({
      'hiring-admins': ['admin'],
      eng: ['engineer', 'hiring_manager'],
    });
  });
  it('refuses an unknown role, a missing client, SSO_ONLY without an issuer, and an issuer without a role map', () => {
    expect(() => parseEnv({ ...sso, OIDC_ROLE_MAP: 'eng=superuser' })).toThrow(/OIDC_ROLE_MAP: "eng=superuser"/);
    expect(() => parseEnv({ OIDC_ISSUER: sso.OIDC_ISSUER, OIDC_ROLE_MAP: 'a=admin' })).toThrow(/OIDC_CLIENT_ID/);
    expect(() => parseEnv({ SSO_ONLY: 'true' })).toThrow(/SSO_ONLY: needs OIDC_ISSUER/);
    expect(() => parseEnv(sso)).toThrow(/OIDC_ROLE_MAP/);
  });
});
