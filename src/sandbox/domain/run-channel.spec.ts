import { parseRunChannel } from './run-channel';

describe('parseRunChannel', () => {
  it('reads the facts line and keeps the bytes after it as the report tar', () => {
    const tar = Buffer.from([0x6a, 0x00, 0x0a, 0xff]);
    const r = parseRunChannel(Buffer.concat([Buffer.from('sandbox-facts oom_kill=2 unpack_ms=7 test_ms=812\n'), tar]));
    expect(r.facts).toEqual({ oomKills: 2, unpackMs: 7, testMs: 812 });
    expect(r.reportTar.equals(tar)).toBe(true);
  });

  it('a facts line without a report leaves the tar empty', () => {
    const r = parseRunChannel(Buffer.from('sandbox-facts oom_kill=0 unpack_ms=1 test_ms=2\n'));
    expect(r.facts?.oomKills).toBe(0);
    expect(r.reportTar.length).toBe(0);
  });

  it('unknown or malformed values are null, not guessed', () => {
    const r = parseRunChannel(Buffer.from('sandbox-facts oom_kill=unknown unpack_ms=-3 test_ms=1e9\n'));
    expect(r.facts).toEqual({ oomKills: null, unpackMs: null, testMs: null });
  });

  it('no facts line (the run script never finished, or something else wrote first): no facts, no report', () => {
    expect(parseRunChannel(Buffer.alloc(0))).toEqual({ facts: null, reportTar: Buffer.alloc(0) });
    expect(parseRunChannel(Buffer.from('junit.xml\0\0\0 forged\n'))).toEqual({ facts: null, reportTar: Buffer.alloc(0) });
    expect(parseRunChannel(Buffer.alloc(4096, 0x61)).facts).toBeNull();
  });
});
