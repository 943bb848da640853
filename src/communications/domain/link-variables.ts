/**
 * Link variables (portalUrl, links.status, links.privacy, dashboardUrl, …) carry bearer secrets or
 * point into the product; a template may only use them as a link to the product's own origin.
 * `{{portalUrl}}` inside a link to another site (in its address, its text, or any other attribute
 * such as an image source) would hand the candidate's key to that site, so the template is refused.
 */

const URL_VALUE = /^https?:\/\//i;

/** Dotted names whose sample value is a URL; for arrays of objects, the item keys (used inside #each). */
export function linkVariables(sample: Record<string, unknown>, prefix = ''): { paths: Set<string>; itemKeys: Set<string> } {
  const paths = new Set<string>();
  const itemKeys = new Set<string>();
  const walk = (obj: Record<string, unknown>, pre: string) => {
    for (const [k, v] of Object.entries(obj)) {
      const name = pre ? `${pre}.${k}` : k;
      if (typeof v === 'string' && URL_VALUE.test(v)) paths.add(name);
      else if (Array.isArray(v)) {
        for (const item of v) {
          if (item && typeof item === 'object')
            for (const [ik, iv] of Object.entries(item)) if (typeof iv === 'string' && URL_VALUE.test(iv)) itemKeys.add(ik);
        }
      } else if (v && typeof v === 'object') walk(v as Record<string, unknown>, name);
    }
  };
  walk(sample, prefix);
  return { paths, itemKeys };
}

const MUSTACHE = /\{\{\{?~?\s*([^{}]*?)\s*~?\}?\}\}/g;

/** The link variables a piece of template source uses. */
function usedLinkVars(src: string, vars: { paths: Set<string>; itemKeys: Set<string> }): string[] {
  const found: string[] = [];
  for (const m of src.matchAll(MUSTACHE)) {
    const expr = m[1].trim();
    if (!expr || /^[#/!^>]/.test(expr) || expr === 'else') continue;
    // Any token of the expression (helpers' arguments included) that names a link variable.
    for (const token of expr.split(/\s+/)) {
      const name = token.replace(/^(this\.|\.\.\/)+/, '').replace(/^@root\./, '');
      if (vars.paths.has(name) || vars.itemKeys.has(name)) found.push(name);
    }
  }
  return found;
}

/** Is a URL (with any mustache replaced by its value being one whole link variable) on the product's origin? */
function ownOrigin(url: string, origin: string, vars: { paths: Set<string>; itemKeys: Set<string> }): boolean {
  const v = url.trim();
  // The whole address is one link variable: the product builds it, on its own origin.
  const whole = /^\{\{\{?~?\s*([^{}\s]+)\s*~?\}?\}\}$/.exec(v);
  if (whole) {
    const name = whole[1].replace(/^(this\.|\.\.\/)+/, '').replace(/^@root\./, '');
    return vars.paths.has(name) || vars.itemKeys.has(name);
  }
  if (v.startsWith('/') && !v.startsWith('//')) return true;
  const o = origin.replace(/\/$/, '');
  return (
    v.toLowerCase() === o.toLowerCase() ||
    v.toLowerCase().startsWith(`${o.toLowerCase()}/`) ||
    v.toLowerCase().startsWith(`${o.toLowerCase()}?`) ||
    v.toLowerCase().startsWith(`${o.toLowerCase()}#`)
  );
}

/**
 * Problems with the link variables of one template (empty: fine). `origin` is the product's
 * public origin (PUBLIC_URL).
 */
export function linkVariableProblems(
  src: { html: string; text: string; subject?: string },
  sample: Record<string, unknown>,
  origin: string,
): string[] {
  const vars = linkVariables(sample);
  if (!vars.paths.size && !vars.itemKeys.size) return [];
  const problems: string[] = [];
  const html = src.html;

  // 1. Inside an <a> element whose href leaves the product (in the href, the text, or any attribute).
  const anchor = /<a\b([^>]*)>([\s\S]*?)(?:<\/a\s*>|$)/gi;
  for (const m of html.matchAll(anchor)) {
    const attrs = m[1];
    const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attrs);
    const target = href ? (href[1] ?? href[2] ?? href[3] ?? '') : '';
    const used = usedLinkVars(m[0], vars);
    if (!used.length) continue;
    if (!href || !ownOrigin(target, origin, vars)) {
      problems.push(
        `html: {{${used[0]}}} is inside a link to ${href ? `"${target.slice(0, 80)}"` : 'an address that is not given'}; link variables may only be used in links to ${origin}`,
      );
    }
  }
  // 2. In an attribute of any other element (an image or form source would send it away when loaded).
  const tag = /<(?!a\b)([a-z][a-z0-9-]*)\b([^>]*)>/gi;
  for (const m of html.matchAll(tag)) {
    for (const a of m[2].matchAll(/([a-z_:][-a-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
      const value = a[2] ?? a[3] ?? a[4] ?? '';
      const used = usedLinkVars(value, vars);
      if (used.length && !ownOrigin(value, origin, vars)) {
        problems.push(
          `html: {{${used[0]}}} is used in the ${a[1]} attribute of <${m[1]}> pointing to "${value.slice(0, 80)}"; link variables may only be used in links to ${origin}`,
        );
      }
    }
  }
  // 3. Plain text: the variable must stand alone, not glued into another address.
  const checkText = (part: string, text: string) => {
    for (const m of text.matchAll(MUSTACHE)) {
      const used = usedLinkVars(m[0], vars);
      if (!used.length) continue;
      const start = m.index ?? 0;
      const before = text.slice(0, start).match(/[^\s<>()[\]"']*$/)?.[0] ?? '';
      const after = text.slice(start + m[0].length).match(/^[^\s<>()[\]"']*/)?.[0] ?? '';
      const glued = before + m[0] + after;
      if (!/(\/\/|www\.|[?=&#/])/i.test(before) || ownOrigin(glued, origin, vars)) continue;
      problems.push(
        `${part}: {{${used[0]}}} is glued into the address "${glued.slice(0, 80)}"; link variables may only be used in links to ${origin}`,
      );
    }
  };
  checkText('text', src.text);
  checkText('html', html.replace(/<a\b[^>]*>/gi, ' ').replace(/<[^>]*>/g, ' '));
  if (src.subject) checkText('subject', src.subject);
  return [...new Set(problems)];
}
