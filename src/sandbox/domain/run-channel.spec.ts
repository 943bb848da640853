import { declaredChannelBytes, logEndLine, parseRunChannel } from './run-channel';

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

  it("a prestarted entry's line also gives the exit code, the report's size and the log's end token", () => {
    const token = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
    const line = `sandbox-facts oom_kill=0 unpack_ms=3 test_ms=40 rc=1 report_bytes=1536 log_end=${token}\n`;
    expect(parseRunChannel(Buffer.from(line)).facts).toEqual({
      oomKills: 0,
      unpackMs: 3,
      testMs: 40,
      exitCode: 1,
      reportBytes: 1536,
      logEnd: token,
    });
    expect(declaredChannelBytes(Buffer.from(line + 'xx'))).toEqual({ total: line.length + 1536, logEnd: token, exitCode: 1 });
    expect(logEndLine(token)).toBe(`sandbox-log-end ${token}\n`);
  });

  it('declares nothing until the whole line is in, nor for a line without all three facts or with a malformed one', () => {
    const token = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
    expect(declaredChannelBytes(Buffer.from('sandbox-facts oom_kill=0 rc=0 report_bytes=0 log_end='))).toBeNull();
    expect(declaredChannelBytes(Buffer.from('sandbox-facts oom_kill=0 unpack_ms=1 test_ms=2\n'))).toBeNull();
    expect(declaredChannelBytes(Buffer.from(`sandbox-facts rc=0 log_end=${token}\n`))).toBeNull();
    expect(declaredChannelBytes(Buffer.from('sandbox-facts rc=0 report_bytes=0 log_end=guessable\n'))).toBeNull();
    expect(declaredChannelBytes(Buffer.from(`sandbox-facts rc=300 report_bytes=0 log_end=${token}\n`))).toBeNull();
    expect(declaredChannelBytes(Buffer.from(`junk\nsandbox-facts rc=0 report_bytes=0 log_end=${token}\n`))).toBeNull();
  });
});
