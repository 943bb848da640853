/**
 * Onboarding is not left to chance: a clear plan for at least the first two months, adapted to the
 * learning style learned about in the interviews, with a buddy, early first commits and regular
 * check-ins.
 */
import { DateTime } from 'luxon';
import { Instant, addBusinessDays, assertZone, nextBusinessDay, toMillis } from './local-time';

export type OnboardingOwnerRole = 'hiring_manager' | 'buddy';

export interface OnboardingTemplateItem {
  key: string;
  title: string;
  description: string;
  /** Week relative to the start: 0 = first week, -1 = the week before, 7 = the eighth week. */
  weekOffset: number;
  /** Business day within that week, 0 (first) .. 4 (last). Defaults to 4. */
  dayOffset?: number;
  ownerRole: OnboardingOwnerRole;
}

export interface OnboardingPlanItem {
  key: string;
  title: string;
  description: string;
  ownerRole: OnboardingOwnerRole;
  ownerId: string;
  /** True when the template asked for a buddy but none was given, so the hiring manager owns it. */
  ownerFallback: boolean;
  /** Local calendar date in the plan's time zone, YYYY-MM-DD (always a weekday). */
  dueDate: string;
  /** End of that business day (17:00 local) as an instant, for reminders. */
  dueAt: Date;
  weekOffset: number;
}

export const ONBOARDING_PLAN_WEEKS = 8;

const checkIn = (week: number): OnboardingTemplateItem => ({
  key: `manager-check-in-week-${week + 1}`,
  title: `Week ${week + 1} check-in`,
  description:
    'One-to-one with the hiring manager: progress against the plan, what makes them feel supported and heard, ' +
    'what is blocking them, and adjustments to the plan.',
  weekOffset: week,
  dayOffset: 4,
  ownerRole: 'hiring_manager',
});

export const DEFAULT_ONBOARDING_TEMPLATE: readonly OnboardingTemplateItem[] = Object.freeze([
  {
    key: 'write-plan',
    title: 'Write the plan for the first two months',
    description:
      'A clear, written plan for at least the first eight weeks: goals per week, people to meet, areas of the ' +
      'code base to learn, and how the team will bring the new teammate up to speed.',
    weekOffset: -1,
    dayOffset: 0,
    ownerRole: 'hiring_manager',
  },
  {
    key: 'learning-style',
    title: 'Adapt the plan to their learning style',
    description:
      'Review the interview notes on how they learn and what makes them feel supported, and adjust the plan ' +
      '(pairing, reading, small tasks first, written or spoken explanations).',
    weekOffset: -1,
    dayOffset: 1,
    ownerRole: 'hiring_manager',
  },
  {
    key: 'assign-buddy',
    title: 'Assign a buddy',
    description: 'Pick a teammate as buddy for the first two months and introduce them before day one.',
    weekOffset: -1,
    dayOffset: 2,
    ownerRole: 'hiring_manager',
  },
  {
    key: 'prepare-access',
    title: 'Prepare accounts, hardware and access',
    description: 'Everything needed to work on day one is ready: laptop, accounts, repositories, chat, calendar.',
    weekOffset: -1,
    dayOffset: 3,
    ownerRole: 'buddy',
  },
  {
    key: 'day-one-welcome',
    title: 'Day one: welcome and walk through the plan',
    description: 'Welcome them, introduce the team, and go through the two-month plan together.',
    weekOffset: 0,
    dayOffset: 0,
    ownerRole: 'hiring_manager',
  },
  {
    key: 'dev-environment',
    title: 'Set up the development environment together',
    description: 'Pair on getting the project built, tested and running locally.',
    weekOffset: 0,
    dayOffset: 1,
    ownerRole: 'buddy',
  },
  {
    key: 'first-commit',
    title: 'First commit merged',
    description: 'A small, real change, paired with the buddy, reviewed and merged.',
    weekOffset: 0,
    dayOffset: 4,
    ownerRole: 'buddy',
  },
  checkIn(0),
  {
    key: 'buddy-check-in-week-2',
    title: 'Buddy check-in',
    description: 'Informal check-in with the buddy: questions, code base tour, what is confusing.',
    weekOffset: 1,
    dayOffset: 2,
    ownerRole: 'buddy',
  },
  checkIn(1),
  {
    key: 'first-production-change',
    title: 'First change in production',
    description: 'Ship a change end to end, through review, deployment and monitoring, with the buddy.',
    weekOffset: 2,
    dayOffset: 4,
    ownerRole: 'buddy',
  },
  checkIn(2),
  {
    key: 'one-month-review',
    title: 'One-month review',
    description: 'Review the plan together: what is going well, what support is missing, what to change for month two.',
    weekOffset: 3,
    dayOffset: 4,
    ownerRole: 'hiring_manager',
  },
  {
    key: 'buddy-check-in-week-4',
    title: 'Buddy check-in',
    description: 'Check-in with the buddy on the first month.',
    weekOffset: 3,
    dayOffset: 2,
    ownerRole: 'buddy',
  },
  checkIn(4),
  checkIn(5),
  checkIn(6),
  {
    key: 'two-month-review',
    title: 'Two-month review',
    description:
      'Close the onboarding plan: review it together, and ask what they would like to be doing next. ' +
      'Collect feedback to improve the plan for the next hire.',
    weekOffset: 7,
    dayOffset: 4,
    ownerRole: 'hiring_manager',
  },
]);

export interface BuildOnboardingPlanInput {
  /** First working day: "YYYY-MM-DD" (a local date) or an instant (its local date in `tz`). */
  startDate: string | Instant;
  template?: readonly OnboardingTemplateItem[];
  owners: { hiring_manager: string; buddy?: string | null };
  /** The new teammate's (or team's) time zone. */
  tz: string;
}

function startIsoDate(start: BuildOnboardingPlanInput['startDate'], tz: string): string {
  if (typeof start === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(start)) {
    if (!DateTime.fromISO(start, { zone: 'utc' }).isValid) throw new RangeError(`Invalid start date "${start}"`);
    return start;
  }
  return DateTime.fromMillis(toMillis(start, 'startDate'), { zone: tz }).toISODate()!;
}

/**
 * Turns a template into dated, owned checklist items. Business days only (Mon-Fri): a start on a
 * weekend moves to the next Monday; item date = start + weekOffset * 5 + dayOffset business days
 * (negative offsets count back before the start). Sorted by due date, then template order.
 */
export function buildOnboardingPlan(input: BuildOnboardingPlanInput): OnboardingPlanItem[] {
  assertZone(input.tz, 'the onboarding plan');
  const template = input.template ?? DEFAULT_ONBOARDING_TEMPLATE;
  const start = nextBusinessDay(startIsoDate(input.startDate, input.tz));
  const seen = new Set<string>();
  const items = template.map((t, order) => {
    if (seen.has(t.key)) throw new RangeError(`Duplicate onboarding item key "${t.key}"`);
    seen.add(t.key);
    const day = t.dayOffset ?? 4;
    if (!Number.isInteger(t.weekOffset) || !Number.isInteger(day) || day < 0 || day > 4) {
      throw new RangeError(`Onboarding item "${t.key}" needs an integer weekOffset and a dayOffset 0..4`);
    }
    const dueDate = addBusinessDays(start, t.weekOffset * 5 + day);
    const buddy = input.owners.buddy ?? null;
    const fallback = t.ownerRole === 'buddy' && !buddy;
    const ownerId = t.ownerRole === 'buddy' && buddy ? buddy : input.owners.hiring_manager;
    const dueAt = DateTime.fromISO(`${dueDate}T17:00`, { zone: input.tz }).toJSDate();
    const item: OnboardingPlanItem = {
      key: t.key,
      title: t.title,
      description: t.description,
      ownerRole: t.ownerRole,
      ownerId,
      ownerFallback: fallback,
      dueDate,
      dueAt,
      weekOffset: t.weekOffset,
    };
    return { item, order };
  });
  items.sort((a, b) => (a.item.dueDate < b.item.dueDate ? -1 : a.item.dueDate > b.item.dueDate ? 1 : a.order - b.order));
  return items.map((x) => x.item);
}

/** Warnings about a custom template, in plain words (empty when it follows the article). */
export function lintOnboardingTemplate(template: readonly OnboardingTemplateItem[]): string[] {
  const warnings: string[] = [];
  const lastWeek = Math.max(-1, ...template.map((t) => t.weekOffset));
  if (lastWeek < ONBOARDING_PLAN_WEEKS - 1) {
    warnings.push(`The plan covers ${Math.max(0, lastWeek + 1)} week(s); have a clear plan for at least the first two months (8 weeks).`);
  }
  if (!template.some((t) => t.ownerRole === 'buddy')) warnings.push('No item involves a buddy.');
  if (!template.some((t) => /check.?in|review/i.test(`${t.key} ${t.title}`))) warnings.push('No check-ins are planned.');
  if (!template.some((t) => /learning.?style/i.test(`${t.key} ${t.title} ${t.description}`))) {
    warnings.push('Nothing adapts the plan to the learning style noted in the interviews.');
  }
  return warnings;
}
