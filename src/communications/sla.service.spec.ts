import { idRanges } from './sla.service';

describe('idRanges (the SLA sweep workers’ shares of the application ids)', () => {
  it.each([1, 2, 3, 7])('%i ranges: in order, each starting where the previous ended, together every uuid', (n) => {
    const ranges = idRanges(n);
    expect(ranges).toHaveLength(n);
    expect(ranges[0][0]).toBe('00000000-0000-0000-0000-000000000000');
    expect(ranges[n - 1][1]).toBe('ffffffff-ffff-ffff-ffff-ffffffffffff');
    for (let k = 0; k < n; k++) {
      expect(ranges[k][0] < ranges[k][1]).toBe(true);
      if (k) expect(ranges[k][0]).toBe(ranges[k - 1][1]);
      for (const id of ranges[k]) expect(id).toMatch(/^[0-9a-f]{8}-0000-0000-0000-000000000000$|^f{8}-f{4}-f{4}-f{4}-f{12}$/);
    }
  });

  it('two ranges split at the middle of the id space', () => {
    expect(idRanges(2)).toEqual([
      ['00000000-0000-0000-0000-000000000000', '80000000-0000-0000-0000-000000000000'],
      ['80000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
    ]);
  });
});
