import { Role } from '../user.entity';
import { refuseAccountChange } from './account-rules';

const admin = { id: 'a1', roles: [Role.Admin], disabled: false };
const base = { actorId: 'a0', otherActiveAdmins: 1, ownedOpenings: [] };

describe('account changes an admin may make', () => {
  it('keeps the last active admin', () => {
    expect(
      refuseAccountChange({ ...base, otherActiveAdmins: 0, user: admin, next: { roles: [Role.Recruiter], disabled: false } })?.code,
    ).toBe('LAST_ADMIN');
    expect(refuseAccountChange({ ...base, otherActiveAdmins: 0, user: admin, next: { roles: [Role.Admin], disabled: true } })?.code).toBe(
      'LAST_ADMIN',
    );
    expect(
      refuseAccountChange({ ...base, otherActiveAdmins: 1, user: admin, next: { roles: [Role.Recruiter], disabled: false } }),
    ).toBeNull();
    // a disabled admin is not the one keeping the lights on: re-enabling or demoting it is fine
    expect(
      refuseAccountChange({
        ...base,
        otherActiveAdmins: 0,
        user: { ...admin, disabled: true },
        next: { roles: [Role.Recruiter], disabled: true },
      }),
    ).toBeNull();
  });

  it('refuses disabling your own account', () => {
    expect(refuseAccountChange({ ...base, actorId: 'a1', user: admin, next: { roles: [Role.Admin], disabled: true } })?.code).toBe(
      'SELF_DISABLE',
    );
    expect(
      refuseAccountChange({ ...base, actorId: 'a1', user: admin, next: { roles: [Role.Admin, Role.Engineer], disabled: false } }),
    ).toBeNull();
  });

  it('refuses leaving open openings without an owner, naming them and the role', () => {
    const user = { id: 'u1', roles: [Role.Recruiter, Role.HiringManager], disabled: false };
    const ownedOpenings = [
      { id: 'o1', title: 'Backend', manages: true, recruits: false },
      { id: 'o2', title: 'Frontend', manages: false, recruits: true },
    ];
    const disable = refuseAccountChange({ ...base, ownedOpenings, user, next: { roles: user.roles, disabled: true } });
    expect(disable).toMatchObject({
      code: 'OWNS_OPENINGS',
      openings: [
        { id: 'o1', as: ['hiring_manager'] },
        { id: 'o2', as: ['recruiter'] },
      ],
    });
    expect(disable?.reason).toMatch(/"Backend" \(hiring_manager\), "Frontend" \(recruiter\)/);
    // dropping hiring_manager strands o1 only; a hiring manager may still recruit, so keeping it alone strands nothing
    expect(refuseAccountChange({ ...base, ownedOpenings, user, next: { roles: [Role.Recruiter], disabled: false } })).toMatchObject({
      openings: [{ id: 'o1' }],
    });
    expect(refuseAccountChange({ ...base, ownedOpenings, user, next: { roles: [Role.HiringManager], disabled: false } })).toBeNull();
    expect(refuseAccountChange({ ...base, ownedOpenings: [], user, next: { roles: user.roles, disabled: true } })).toBeNull();
  });
});
