import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApplicationException, ErrorCode, notFound } from '../common/errors/application.exception';
import { canManageOpening, canRecruitForOpening } from '../identity/domain/account-rules';
import { TeamRole } from '../identity/team-scope';
import { Role } from '../identity/user.entity';

export interface TeamMemberView {
  userId: string;
  name: string;
  email: string;
  role: TeamRole;
  /** owner: the opening's hiring manager or recruiter; member: named through PUT; booked: on one of its reviews or interviews. */
  source: 'owner' | 'member' | 'booked';
}

/** Which account roles may hold which team role (interviewers and coordinators: any active staff). */
const ROLE_CHECK: Partial<Record<TeamRole, { ok: (roles: Role[]) => boolean; need: string }>> = {
  hiring_manager: { ok: (r) => canManageOpening(r), need: 'the hiring_manager role' },
  recruiter: { ok: (r) => canRecruitForOpening(r), need: 'the recruiter role' },
};

/** An opening's hiring team: the owners, the named members, and everyone booked on its sessions. */
@Injectable()
export class TeamService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async get(openingId: string): Promise<{ openingId: string; members: TeamMemberView[] }> {
    const exists: unknown[] = await this.ds.query(`SELECT 1 FROM openings WHERE id = $1`, [openingId]);
    if (!exists.length) throw notFound('Opening');
    const rows: TeamMemberView[] = await this.ds.query(
      `SELECT DISTINCT ON (t.user_id, t.role) t.user_id AS "userId", u.name, u.email, t.role, t.source
         FROM opening_team t JOIN users u ON u.id = t.user_id
        WHERE t.opening_id = $1
        ORDER BY t.user_id, t.role, CASE t.source WHEN 'owner' THEN 0 WHEN 'member' THEN 1 ELSE 2 END`,
      [openingId],
    );
    const order: Record<string, number> = { hiring_manager: 0, recruiter: 1, coordinator: 2, interviewer: 3 };
    rows.sort((a, b) => order[a.role] - order[b.role] || a.name.localeCompare(b.name));
    return { openingId, members: rows };
  }

  /** Replaces the named members (owners and booked interviewers stay members regardless). */
  async replace(openingId: string, members: Array<{ userId: string; role: TeamRole }>, actorId: string) {
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const [i, m] of members.entries()) {
      if (seen.has(m.userId)) problems.push(`members[${i}].userId: ${m.userId} is listed twice (one role per person)`);
      seen.add(m.userId);
    }
    const ids = [...seen];
    const users: Array<{ id: string; roles: Role[]; disabled_at: Date | null }> = ids.length
      ? await this.ds.query(`SELECT id, roles, disabled_at FROM users WHERE id = ANY($1::uuid[])`, [ids])
      : [];
    for (const [i, m] of members.entries()) {
      const u = users.find((x) => x.id === m.userId);
      if (!u) problems.push(`members[${i}].userId: no user ${m.userId}`);
      else if (u.disabled_at) problems.push(`members[${i}].userId: ${m.userId} is disabled`);
      else if (ROLE_CHECK[m.role] && !ROLE_CHECK[m.role]!.ok(u.roles))
        problems.push(`members[${i}].role: ${m.role} needs a user with ${ROLE_CHECK[m.role]!.need}`);
    }
    if (problems.length) throw new ApplicationException(ErrorCode.ValidationFailed, `Team refused: ${problems.join('; ')}`, { problems });
    await this.ds.transaction(async (m) => {
      const o: unknown[] = await m.query(`SELECT 1 FROM openings WHERE id = $1 FOR UPDATE`, [openingId]);
      if (!o.length) throw notFound('Opening');
      await m.query(
        `UPDATE opening_team_members SET removed_at = now() WHERE opening_id = $1 AND removed_at IS NULL AND NOT (user_id = ANY($2::uuid[]))`,
        [openingId, ids],
      );
      for (const mem of members) {
        await m.query(
          `INSERT INTO opening_team_members (opening_id, user_id, role, added_by) VALUES ($1, $2, $3, $4)
           ON CONFLICT (opening_id, user_id) DO UPDATE SET role = EXCLUDED.role, removed_at = NULL,
             added_by = CASE WHEN opening_team_members.removed_at IS NULL AND opening_team_members.role = EXCLUDED.role THEN opening_team_members.added_by ELSE EXCLUDED.added_by END,
             added_at = CASE WHEN opening_team_members.removed_at IS NULL AND opening_team_members.role = EXCLUDED.role THEN opening_team_members.added_at ELSE now() END`,
          [openingId, mem.userId, mem.role, actorId],
        );
      }
    });
    return this.get(openingId);
  }
}
