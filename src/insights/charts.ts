/**
 * Server-rendered SVG charts for the dashboard (no client script: the CSP allows same-origin
 * scripts only and the pages work without JavaScript). Pure functions returning markup; every
 * text is escaped. Colours are presentation attributes, not inline styles.
 */

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? '–' : Number(n.toFixed(digits)).toString());

const WIDTH = 640;
const LABEL = 170;
const ROW = 30;
const BAR = 18;
const RIGHT = 150;

export interface FunnelBar {
  name: string;
  entered: number;
  advanced: number;
  conversion: number | null;
}

/** One row per stage: entered (light bar), advanced (dark bar on top), and "advanced / entered (xx%)". */
export function funnelChart(stages: FunnelBar[], title = 'Funnel: entered and advanced per stage'): string {
  const max = Math.max(1, ...stages.map((s) => s.entered));
  const span = WIDTH - LABEL - RIGHT;
  const height = Math.max(1, stages.length) * ROW + 30;
  const rows = stages.map((s, i) => {
    const y = 10 + i * ROW;
    const we = (s.entered / max) * span;
    const wa = (s.advanced / max) * span;
    const pct = s.conversion === null ? '' : ` (${Math.round(s.conversion * 100)}%)`;
    return (
      `<g class="funnel-row" data-stage="${escapeXml(s.name)}">` +
      `<text x="${LABEL - 8}" y="${y + BAR - 4}" text-anchor="end" font-size="13" fill="#1f2330">${escapeXml(s.name)}</text>` +
      `<rect x="${LABEL}" y="${y}" width="${we.toFixed(1)}" height="${BAR}" fill="#c9d3f5"><title>${escapeXml(`${s.name}: ${s.entered} entered`)}</title></rect>` +
      `<rect x="${LABEL}" y="${y}" width="${wa.toFixed(1)}" height="${BAR}" fill="#3556d8"><title>${escapeXml(`${s.name}: ${s.advanced} advanced`)}</title></rect>` +
      `<text x="${LABEL + span + 8}" y="${y + BAR - 4}" font-size="12" fill="#5b6272">${s.advanced} / ${s.entered}${pct}</text>` +
      `</g>`
    );
  });
  const legendY = height - 8;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart funnel" role="img" aria-label="${escapeXml(title)}" viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">` +
    `<title>${escapeXml(title)}</title>${rows.join('')}` +
    `<rect x="${LABEL}" y="${legendY - 9}" width="10" height="10" fill="#c9d3f5"/><text x="${LABEL + 14}" y="${legendY}" font-size="11" fill="#5b6272">entered</text>` +
    `<rect x="${LABEL + 80}" y="${legendY - 9}" width="10" height="10" fill="#3556d8"/><text x="${LABEL + 94}" y="${legendY}" font-size="11" fill="#5b6272">advanced</text>` +
    `</svg>`
  );
}

export interface FlowBar {
  name: string;
  visits: number;
  median: number | null;
  p90: number | null;
}

/** One row per stage: p90 (light bar) and median (dark bar) of business days in the stage. */
export function flowChart(stages: FlowBar[], title = 'Flow: business days in stage (median and p90)'): string {
  const max = Math.max(1, ...stages.map((s) => Math.max(s.p90 ?? 0, s.median ?? 0)));
  const top = Math.ceil(max);
  const span = WIDTH - LABEL - RIGHT;
  const height = Math.max(1, stages.length) * ROW + 44;
  const x = (v: number) => LABEL + (v / top) * span;
  const rows = stages.map((s, i) => {
    const y = 10 + i * ROW;
    const label = s.visits === 0 ? 'no visits' : `median ${fmt(s.median)} · p90 ${fmt(s.p90)} (n=${s.visits})`;
    return (
      `<g class="flow-row" data-stage="${escapeXml(s.name)}">` +
      `<text x="${LABEL - 8}" y="${y + BAR - 4}" text-anchor="end" font-size="13" fill="#1f2330">${escapeXml(s.name)}</text>` +
      (s.p90 !== null
        ? `<rect x="${LABEL}" y="${y}" width="${(x(s.p90) - LABEL).toFixed(1)}" height="${BAR}" fill="#f5dcb0"><title>${escapeXml(`${s.name}: p90 ${fmt(s.p90, 2)} business days`)}</title></rect>`
        : '') +
      (s.median !== null
        ? `<rect x="${LABEL}" y="${y + 4}" width="${(x(s.median) - LABEL).toFixed(1)}" height="${BAR - 8}" fill="#b26b00"><title>${escapeXml(`${s.name}: median ${fmt(s.median, 2)} business days`)}</title></rect>`
        : '') +
      `<text x="${LABEL + span + 8}" y="${y + BAR - 4}" font-size="12" fill="#5b6272">${escapeXml(label)}</text>` +
      `</g>`
    );
  });
  const axisY = 10 + stages.length * ROW;
  const ticks: string[] = [];
  const step = top <= 5 ? 1 : Math.ceil(top / 5);
  for (let v = 0; v <= top; v += step) {
    ticks.push(
      `<line x1="${x(v).toFixed(1)}" y1="${axisY}" x2="${x(v).toFixed(1)}" y2="${axisY + 4}" stroke="#9aa0ad"/><text x="${x(v).toFixed(1)}" y="${axisY + 16}" text-anchor="middle" font-size="11" fill="#5b6272">${v}</text>`,
    );
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart flow" role="img" aria-label="${escapeXml(title)}" viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">` +
    `<title>${escapeXml(title)}</title>${rows.join('')}` +
    `<line x1="${LABEL}" y1="${axisY}" x2="${LABEL + span}" y2="${axisY}" stroke="#9aa0ad"/>${ticks.join('')}` +
    `<text x="${LABEL + span + 8}" y="${axisY + 16}" font-size="11" fill="#5b6272">business days</text>` +
    `</svg>`
  );
}
