import { escapeXml, flowChart, funnelChart } from './charts';

describe('SVG charts', () => {
  it('draws one funnel row per stage with bars proportional to the counts, escaping names', () => {
    const svg = funnelChart([
      { name: 'Screen <script>', entered: 10, advanced: 5, conversion: 0.5 },
      { name: 'Call & chat', entered: 5, advanced: 0, conversion: 0 },
    ]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('Screen &lt;script&gt;');
    expect(svg).toContain('Call &amp; chat');
    expect(svg.match(/class="funnel-row"/g)).toHaveLength(2);
    const widths = [...svg.matchAll(/<rect x="170" y="\d+" width="([\d.]+)" height="18"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([320, 160, 160, 0]);
    expect(svg).toContain('5 / 10 (50%)');
  });

  it('draws median and p90 bars on one scale, and says when a stage had no visits', () => {
    const svg = flowChart([
      { name: 'A', visits: 3, median: 2, p90: 4 },
      { name: 'B', visits: 0, median: null, p90: null },
    ]);
    expect(svg).toContain('median 2 · p90 4 (n=3)');
    expect(svg).toContain('no visits');
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(escapeXml(`"'`)).toBe('&quot;&#39;');
  });
});
