import { Role } from '../user.entity';

/** A claim's value by dotted path (`realm_access.roles`), as a list of strings. */
export function claimValues(claims: Record<string, unknown>, path: string): string[] {
  let v: unknown = claims[path];
  if (v === undefined && path.includes('.'))
    v = path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), claims);
  if (typeof v === 'string') return v.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** The roles a person gets from their claim values through OIDC_ROLE_MAP (sorted, no repeats). */
export function rolesFromClaims(claims: Record<string, unknown>, claim: string, map: Record<string, string[]>): Role[] {
  const roles = new Set<Role>();
  for (const value of claimValues(claims, claim)) for (const r of map[value] ?? []) roles.add(r as Role);
  return [...roles].sort();
}
