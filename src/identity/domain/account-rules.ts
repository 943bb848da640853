import { Role } from '../user.entity';

/** Who may own an opening as its hiring manager, and as its recruiter (the roles that do the work). */
export const canManageOpening = (roles: readonly Role[]): boolean => roles.some((r) => r === Role.HiringManager || r === Role.Admin);
export const canRecruitForOpening = (roles: readonly Role[]): boolean =>
  roles.some((r) => r === Role.Recruiter || r === Role.HiringManager || r === Role.Admin);

export interface AccountChange {
  actorId: string;
  user: { id: string; roles: readonly Role[]; disabled: boolean };
  next: { roles: readonly Role[]; disabled: boolean };
  /** Other active admins (not this user). */
  otherActiveAdmins: number;
  /** Open openings this user owns. */
  ownedOpenings: ReadonlyArray<{ id: string; title: string; manages: boolean; recruits: boolean }>;
}

export type AccountRefusal =
  | { code: 'LAST_ADMIN'; reason: string }
  | { code: 'SELF_DISABLE'; reason: string }
  | { code: 'OWNS_OPENINGS'; reason: string; openings: Array<{ id: string; title: string; as: Array<'hiring_manager' | 'recruiter'> }> };

/**
 * Whether an admin may change an account's roles or disabled state. No one is forgotten between
 * hand-offs: a person who owns open openings (whose candidates and alerts they carry) cannot be
 * disabled, or lose the role the ownership needs, until the openings are handed over. The last
 * active admin stays; nobody disables their own account. Returns null when allowed.
 */
export function refuseAccountChange(c: AccountChange): AccountRefusal | null {
  const wasActiveAdmin = c.user.roles.includes(Role.Admin) && !c.user.disabled;
  const staysActiveAdmin = c.next.roles.includes(Role.Admin) && !c.next.disabled;
  if (c.next.disabled && !c.user.disabled && c.user.id === c.actorId) {
    return { code: 'SELF_DISABLE', reason: 'You cannot disable your own account; ask another admin' };
  }
  if (wasActiveAdmin && !staysActiveAdmin && c.otherActiveAdmins === 0) {
    return { code: 'LAST_ADMIN', reason: 'This is the last active admin; make someone else an admin first' };
  }
  const blocking = c.ownedOpenings
    .map((o) => ({
      id: o.id,
      title: o.title,
      as: [
        ...(o.manages && (c.next.disabled || !canManageOpening(c.next.roles)) ? (['hiring_manager'] as const) : []),
        ...(o.recruits && (c.next.disabled || !canRecruitForOpening(c.next.roles)) ? (['recruiter'] as const) : []),
      ],
    }))
    .filter((o) => o.as.length > 0);
  if (blocking.length) {
    const list = blocking.map((o) => `"${o.title}" (${o.as.join(' and ')})`).join(', ');
    return {
      code: 'OWNS_OPENINGS',
      reason: `${c.next.disabled ? 'Disabling this account' : 'This role change'} would leave ${blocking.length} open opening(s) without an owner: ${list}. Hand them over first (PATCH /api/v1/openings/:id with hiringManagerId or recruiterId)`,
      openings: blocking.map((o) => ({ ...o, as: [...o.as] })),
    };
  }
  return null;
}
