import { Role } from '../user.entity';
import { claimValues, rolesFromClaims } from './sso-roles';

describe('roles from OpenID claims', () => {
  const map = { 'hiring-admins': ['admin'], eng: ['engineer', 'hiring_manager'], recruiting: ['recruiter'] };
  it('maps every listed group, ignoring unknown ones', () => {
    expect(rolesFromClaims({ groups: ['eng', 'everyone', 'recruiting'] }, 'groups', map)).toEqual([
      Role.Engineer,
      Role.HiringManager,
      Role.Recruiter,
    ]);
    expect(rolesFromClaims({ groups: ['everyone'] }, 'groups', map)).toEqual([]);
    expect(rolesFromClaims({}, 'groups', map)).toEqual([]);
  });
  it('reads nested claims (Keycloak realm_access.roles) and space-separated strings', () => {
    expect(claimValues({ realm_access: { roles: ['hiring-admins', 'x'] } }, 'realm_access.roles')).toEqual(['hiring-admins', 'x']);
    expect(rolesFromClaims({ roles: 'eng recruiting' }, 'roles', map)).toEqual([Role.Engineer, Role.HiringManager, Role.Recruiter]);
    expect(claimValues({ groups: [1, 'a'] }, 'groups')).toEqual(['a']);
  });
});
