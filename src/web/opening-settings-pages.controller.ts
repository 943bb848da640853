import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { ApplicationException, badRequest, ErrorCode } from '../common/errors/application.exception';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { TEAM_ROLES, TeamRole, TeamScope } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { SettingsService } from '../integrations/settings.service';
import { TeamDto } from '../openings/dto/team.dto';
import { OpeningsService } from '../openings/openings.service';
import { TeamService } from '../openings/team.service';
import { OpeningRetentionDto } from '../privacy/dto/privacy.dto';
import { InterviewsService } from '../interviews/interviews.service';
import { CODE_REVIEW, CULTURE_FIT_COMPETENCY_REASON, DECISION_RULES, isCultureFit, normalizeKey, RULE_NAMES } from '../scorecards/domain';
import { ScorecardTemplateDto } from '../scorecards/dto/scorecard.dto';
import { kindName, ScorecardsService } from '../scorecards/scorecards.service';
import { field, formAction, numberField, validated } from './flash';
import { roleName } from './format';
import { pageContext } from './page-context';
import { ViewService } from './view.service';

/** A team role in plain words. */
export const TEAM_ROLE_NAMES: Record<TeamRole, string> = {
  hiring_manager: 'Hiring manager',
  recruiter: 'Recruiter',
  coordinator: 'Coordinator',
  interviewer: 'Interviewer',
};
const SOURCE_WORDS: Record<string, string> = {
  owner: "Named on the opening (change it with the opening's hiring manager or recruiter)",
  member: 'Added to the team',
  booked: 'Booked on one of its interviews or code reviews',
};

/** The hiring-team form's fields (role_<userId>, addUser, addRole) as the JSON route's members. */
export function parseTeamForm(
  body: Record<string, unknown>,
  named: Array<{ userId: string; role: TeamRole }>,
): { members: Array<{ userId: string; role: string }>; adding?: { userId: string; role: string } } {
  const members: Array<{ userId: string; role: string }> = [];
  for (const m of named) {
    const choice = field(body, `role_${m.userId}`) ?? m.role;
    if (choice === 'remove') continue;
    members.push({ userId: m.userId, role: choice });
  }
  const addUser = field(body, 'addUser');
  const addRole = field(body, 'addRole');
  if (!addUser) return { members };
  const adding = { userId: addUser, role: addRole ?? '' };
  const i = members.findIndex((m) => m.userId === addUser);
  if (i >= 0) members[i] = adding;
  else members.push(adding);
  return { members, adding };
}

/**
 * An opening's settings pages, linked from the opening's page: its hiring team (who is on it and,
 * for its hiring manager or an admin, the form that changes it) and how long candidates' data is
 * kept. Each form calls the service the JSON route calls, with the same DTO and checks;
 * POST -> 303 -> the page with a flash message.
 */
@ApiExcludeController()
@Controller('openings')
@Roles(Role.Recruiter, Role.HiringManager)
export class OpeningSettingsPagesController {
  constructor(
    private readonly views: ViewService,
    private readonly identity: IdentityService,
    private readonly openings: OpeningsService,
    private readonly team: TeamService,
    private readonly scope: TeamScope,
    private readonly settings: SettingsService,
    private readonly scorecards: ScorecardsService,
    private readonly interviews: InterviewsService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  // ---- hiring team ---------------------------------------------------------------------------

  @Get(':id/team')
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  @Header('content-type', 'text/html; charset=utf-8')
  async teamPage(
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentUser() me: Principal,
  ) {
    const opening = await this.openings.get(id);
    const ctx = pageContext(req, this.identity, res);
    const [{ members }, users, canEdit] = await Promise.all([
      this.team.get(id),
      this.identity.listUsers(),
      this.scope.teamRoleOn(me, id, ['hiring_manager']),
    ]);
    const values = ctx.flash?.form === 'team' ? (ctx.flash.values ?? {}) : {};
    const named = members.filter((m) => m.source === 'member');
    const namedIds = new Set(named.map((m) => m.userId));
    const roleOptions = (selected: string) => TEAM_ROLES.map((r) => ({ value: r, label: TEAM_ROLE_NAMES[r], selected: r === selected }));
    return this.views.render('opening-team', {
      title: `Hiring team: ${opening.title}`,
      ...ctx,
      opening,
      canEdit,
      isStaff: me.roles.some((r) => r === Role.Recruiter || r === Role.HiringManager || r === Role.Admin),
      members: members.map((m) => ({
        ...m,
        teamRoleName: TEAM_ROLE_NAMES[m.role] ?? m.role,
        how: SOURCE_WORDS[m.source] ?? m.source,
        isMe: m.userId === me.id,
      })),
      named: named.map((m) => ({
        ...m,
        options: [
          ...roleOptions(values[`role_${m.userId}`] ?? m.role),
          { value: 'remove', label: 'Remove from the team', selected: false },
        ],
      })),
      candidates: users
        .filter((u) => !u.disabledAt && !namedIds.has(u.id))
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((u) => ({ id: u.id, name: u.name, roles: u.roles.map((r) => roleName(r)).join(', '), selected: values.addUser === u.id })),
      addRoles: roleOptions(values.addRole ?? 'interviewer'),
    });
  }

  @Post(':id/team')
  @Roles(Role.HiringManager)
  async saveTeam(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    const back = `/openings/${id}/team`;
    await this.openings.get(id);
    await formAction(
      res,
      {
        to: `${back}#team-title`,
        back: `${back}#edit-team-title`,
        ok: 'Hiring team saved: everyone on it can now open this opening and its candidates',
        form: 'team',
        values: body,
      },
      async () => {
        await this.scope.assertOpening(me, id, { teamRoles: ['hiring_manager'], action: 'change its hiring team' });
        const { members: current } = await this.team.get(id);
        const named = current.filter((m) => m.source === 'member').map((m) => ({ userId: m.userId, role: m.role }));
        const { members, adding } = parseTeamForm(body, named);
        if (adding && !adding.role) throw badRequest('Choose the role of the person you add');
        const users = await this.identity.listUsers();
        const problems: string[] = [];
        for (const m of members) {
          const u = users.find((x) => x.id === m.userId);
          const who = u?.name ?? 'That person';
          if (!u) problems.push('The person chosen no longer has an account');
          else if (u.disabledAt) problems.push(`${who}'s account is disabled`);
          else if (!(TEAM_ROLES as string[]).includes(m.role)) problems.push(`Choose a role on the team for ${who}`);
          else if (m.role === 'hiring_manager' && !u.roles.some((r) => r === Role.HiringManager || r === Role.Admin))
            problems.push(`${who} cannot be a hiring manager on this team: their account does not have the hiring manager role`);
          else if (m.role === 'recruiter' && !u.roles.some((r) => r === Role.Recruiter || r === Role.HiringManager || r === Role.Admin))
            problems.push(`${who} cannot be a recruiter on this team: their account does not have the recruiter role`);
        }
        if (problems.length)
          throw new ApplicationException(ErrorCode.ValidationFailed, `The team was not saved: ${problems.join('; ')}`, { problems });
        const dto = await validated(TeamDto, { members });
        return this.team.replace(id, dto.members, me.id);
      },
    );
  }

  // ---- scorecard and decision rule -------------------------------------------------------------

  @Get(':id/scorecard')
  @Header('content-type', 'text/html; charset=utf-8')
  async scorecardPage(
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentUser() me: Principal,
  ) {
    const opening = await this.openings.get(id);
    const ctx = pageContext(req, this.identity, res);
    const [t, kinds, canEdit] = await Promise.all([
      this.scorecards.template(id),
      this.interviews.kinds(),
      this.scope.teamRoleOn(me, id, ['recruiter', 'hiring_manager']),
    ]);
    const refused = ctx.flash?.form === 'scorecard' ? ctx.flash : undefined;
    const values = refused?.values ?? null;
    const errors = new Map((refused?.violations ?? []).filter((v) => v.rule).map((v) => [v.rule!, v.message]));
    const sessionKinds = [
      ...new Set([...kinds, ...t.competencies.flatMap((c) => c.appliesTo)].filter((k) => k !== CODE_REVIEW)),
      CODE_REVIEW,
    ];
    const rows: Array<{ key: string; name: string; rubric: string[]; appliesTo: string[]; isNew: boolean }> = values
      ? Array.from({ length: Number(values.rows ?? 0) }, (_, i) => ({
          key: values[`key_${i}`] ?? '',
          name: values[`name_${i}`] ?? '',
          rubric: [1, 2, 3, 4].map((n) => values[`rubric_${i}_${n}`] ?? ''),
          appliesTo: sessionKinds.filter((k) => values[`applies_${i}_${k}`] === 'on'),
          isNew: !values[`key_${i}`],
        }))
      : [
          ...t.competencies.map((c) => ({ key: c.key, name: c.name, rubric: [...c.rubric], appliesTo: c.appliesTo, isNew: false })),
          ...[0, 1].map(() => ({ key: '', name: '', rubric: ['', '', '', ''], appliesTo: [], isNew: true })),
        ];
    const err = (name: string) => errors.get(name) ?? null;
    const rule = values?.decisionRule ?? t.decisionRule;
    return this.views.render('opening-scorecard', {
      title: `Scorecard: ${opening.title}`,
      ...ctx,
      opening,
      canEdit,
      rowCount: rows.length,
      rows: rows.map((r, i) => ({
        ...r,
        index: i,
        number: i + 1,
        nameError: err(`name_${i}`),
        rubricError: err(`rubric_${i}`),
        appliesError: err(`applies_${i}`),
        rubricFields: r.rubric.map((text, n) => ({ n: n + 1, text })),
        kinds: sessionKinds.map((k) => ({ key: k, name: kindName(k), checked: r.appliesTo.includes(k) })),
      })),
      rules: DECISION_RULES.map((r) => ({ value: r, name: RULE_NAMES[r], checked: r === rule })),
      ruleError: err('decisionRule'),
      hours: values?.hours ?? String(t.feedbackDueBusinessHours),
      hoursError: err('hours'),
      anonymous: values ? values.anonymousReview === 'on' : t.anonymousReview,
      competenciesError: err('competencies'),
    });
  }

  @Post(':id/scorecard')
  async saveScorecard(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    const back = `/openings/${id}/scorecard`;
    await this.openings.get(id);
    const kinds = [...new Set([...(await this.interviews.kinds()), CODE_REVIEW])];
    await formAction(
      res,
      {
        to: back,
        back: `${back}#scorecard-form-title`,
        ok: 'Scorecard saved: new scorecards use it from now on',
        form: 'scorecard',
        values: nonEmpty(body),
      },
      async () => {
        await this.scope.assertOpening(me, id, {
          teamRoles: ['recruiter', 'hiring_manager'],
          action: "change the opening's scorecard",
        });
        const { input, problems } = parseScorecardForm(body, kinds);
        if (problems.length)
          throw new ApplicationException(ErrorCode.ValidationFailed, 'The scorecard was not saved: correct the fields marked below', {
            violations: problems.map((p) => ({ rule: p.field, message: p.message })),
          });
        const dto = await validated(ScorecardTemplateDto, input);
        return this.scorecards.setTemplate(id, dto, me.id);
      },
    );
  }

  // ---- keeping candidates' data ----------------------------------------------------------------

  @Get(':id/retention')
  @Header('content-type', 'text/html; charset=utf-8')
  async retentionPage(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const opening = await this.openings.get(id);
    const ctx = pageContext(req, this.identity, res);
    const [row]: Array<{ retention_months: number | null }> = await this.ds.query(`SELECT retention_months FROM openings WHERE id = $1`, [
      id,
    ]);
    const { defaultMonths } = await this.settings.retention();
    const values = ctx.flash?.form === 'retention' ? (ctx.flash.values ?? {}) : {};
    const own = row?.retention_months ?? null;
    return this.views.render('opening-retention', {
      title: `Keeping candidates' data: ${opening.title}`,
      ...ctx,
      opening,
      own,
      defaultMonths,
      effective: own ?? defaultMonths,
      useDefault: values.mode ? values.mode === 'default' : own === null,
      months: values.months ?? (own === null ? '' : String(own)),
      canEdit: ctx.user?.roles.some((r) => r === Role.Recruiter || r === Role.Admin),
    });
  }

  @Post(':id/retention')
  @Roles(Role.Recruiter)
  async saveRetention(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    const back = `/openings/${id}/retention`;
    await this.openings.get(id);
    await formAction(
      res,
      {
        to: back,
        back,
        ok: (months: number | null) =>
          months === null
            ? 'Saved: this opening keeps data for the company-wide period'
            : `Saved: this opening keeps data for ${months} months`,
        form: 'retention',
        values: body,
      },
      async () => {
        await this.scope.assertOpening(me, id, { teamRoles: ['recruiter', 'hiring_manager'], action: 'change how long its data is kept' });
        const useDefault = field(body, 'mode') === 'default';
        const raw = numberField(body, 'months');
        if (!useDefault && raw === undefined) throw badRequest('Give the number of months, or choose the company-wide period');
        if (!useDefault && (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > 240))
          throw badRequest('Months must be a whole number from 1 to 240');
        const dto = await validated(OpeningRetentionDto, { months: useDefault ? null : raw });
        await this.openings.setRetentionMonths(id, dto.months);
        return dto.months;
      },
    );
  }
}

const MAX_COMPETENCY_ROWS = 22;

/**
 * The scorecard form's flat fields (name_0, key_0, rubric_0_1..4, applies_0_<kind>, decisionRule,
 * hours, anonymousReview) as the JSON route's body, with each problem named after its field in
 * plain words. A row whose name is empty is left out (that is how a competency is removed).
 */
export function parseScorecardForm(
  body: Record<string, unknown>,
  kinds: string[],
): { input: Record<string, unknown>; problems: Array<{ field: string; message: string }> } {
  const problems: Array<{ field: string; message: string }> = [];
  const competencies: Array<Record<string, unknown>> = [];
  const rows = Math.min(Number(field(body, 'rows') ?? 0) || 0, MAX_COMPETENCY_ROWS);
  const seen = new Map<string, number>();
  for (let i = 0; i < rows; i++) {
    const name = field(body, `name_${i}`);
    const rubric = [1, 2, 3, 4].map((n) => field(body, `rubric_${i}_${n}`) ?? '');
    const label = `Competency ${i + 1}`;
    if (!name) {
      if (rubric.some(Boolean) && field(body, `key_${i}`) === undefined)
        problems.push({ field: `name_${i}`, message: `${label}: give it a name (or empty its score descriptions)` });
      continue;
    }
    if (name.length > 120) problems.push({ field: `name_${i}`, message: `${label}: the name is longer than 120 characters` });
    else if (isCultureFit(name)) problems.push({ field: `name_${i}`, message: `${label} ("${name}"): ${CULTURE_FIT_COMPETENCY_REASON}` });
    const key = normalizeKey(field(body, `key_${i}`) ?? name);
    if (!key) problems.push({ field: `name_${i}`, message: `${label}: the name needs letters or digits` });
    else if (seen.has(key)) problems.push({ field: `name_${i}`, message: `${label}: the same competency as number ${seen.get(key)! + 1}` });
    else seen.set(key, i);
    const filled = rubric.filter(Boolean).length;
    if (filled > 0 && filled < 4)
      problems.push({
        field: `rubric_${i}`,
        message: `${label}: describe all four scores, or leave all four empty for the general descriptions`,
      });
    if (rubric.some((r) => r.length > 300))
      problems.push({ field: `rubric_${i}`, message: `${label}: keep each description under 300 characters` });
    competencies.push({
      ...(field(body, `key_${i}`) ? { key: field(body, `key_${i}`) } : {}),
      name,
      ...(filled === 4 ? { rubric } : {}),
      appliesTo: kinds.filter((k) => body[`applies_${i}_${k}`] === 'on'),
    });
  }
  if (!competencies.length) problems.push({ field: 'competencies', message: 'Name at least one competency' });
  if (competencies.length > 20) problems.push({ field: 'competencies', message: 'At most 20 competencies' });
  const decisionRule = field(body, 'decisionRule');
  if (!decisionRule || !(DECISION_RULES as readonly string[]).includes(decisionRule))
    problems.push({ field: 'decisionRule', message: 'Choose when the team may make an offer' });
  const hours = numberField(body, 'hours');
  if (typeof hours !== 'number' || !Number.isInteger(hours) || hours < 1 || hours > 240)
    problems.push({ field: 'hours', message: 'Feedback due: a whole number of business hours from 1 to 240' });
  return {
    input: { competencies, decisionRule, feedbackDueBusinessHours: hours, anonymousReview: body.anonymousReview === 'on' },
    problems,
  };
}

/** What was typed, without the empty fields (the flash cookie is small). */
function nonEmpty(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== ''));
}
