import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core in the page and returns the serious or critical violations (the ones that fail a
 * test). The script is added as page content, not from a URL, so the strict CSP still holds for
 * the page's own scripts.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  const already = await page.evaluate(() => typeof (window as any).axe !== 'undefined');
  if (!already) await page.evaluate(AXE_SOURCE);
  const result: { violations: AxeViolation[] } = await page.evaluate(() =>
    (window as any).axe.run(document, { resultTypes: ['violations'] }),
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
}

/** Fails with a readable list when the page has a serious or critical axe-core violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const violations = await seriousA11yViolations(page);
  if (violations.length) {
    const lines = violations.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    throw new Error(`axe-core found ${violations.length} serious/critical violation(s) on ${page.url()}:\n${lines.join('\n')}`);
  }
}

/** Width of the document beyond the viewport (0 when nothing scrolls sideways). */
export async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));
}

/** Checks a page at a 390 px phone width: no sideways scrolling. Restores the previous viewport. */
export async function expectFitsPhone(page: Page): Promise<void> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await sidewaysOverflow(page);
  if (before) await page.setViewportSize(before);
  if (overflow > 0) throw new Error(`${page.url()} scrolls sideways by ${overflow} px at 390 px wide`);
}
