import { DEFAULT_LIMITS, InvalidLimitsError, resolveLimits } from './limits';

describe('resolveLimits', () => {
  it('layers runtime defaults and assignment overrides over the defaults', () => {
    expect(resolveLimits({ memoryMb: 256 }, { timeoutMs: 5000, memoryMb: undefined })).toEqual({
      ...DEFAULT_LIMITS,
      memoryMb: 256,
      timeoutMs: 5000,
    });
  });
  it('refuses values outside the hard bounds and unknown keys', () => {
    expect(() => resolveLimits({ memoryMb: 1 })).toThrow(InvalidLimitsError);
    expect(() => resolveLimits({ timeoutMs: Number.NaN })).toThrow(/timeoutMs/);
    expect(() => resolveLimits({ pids: 1e9 })).toThrow(/pids/);
    expect(() => resolveLimits({ nope: 1 } as never)).toThrow(/unknown/);
  });
  it('floors integers but keeps fractional CPUs', () => {
    expect(resolveLimits({ cpus: 0.5, pids: 64.9 })).toMatchObject({ cpus: 0.5, pids: 64 });
  });
});
