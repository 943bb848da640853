/**
 * No anchoring: who may read the other scorecards of an application. The hiring manager of the
 * opening and admins see all; anyone else (interviewers, reviewers, recruiters) sees only their
 * own until they have filed theirs for this application, and then everyone's. Someone with
 * nothing to file (not on any session) sees none of the others'.
 */
export interface Viewer {
  id: string;
  isAdmin: boolean;
  isHiringManagerOfOpening: boolean;
}

export function seesAllScorecards(viewer: Viewer, filedForApplication: boolean): boolean {
  return viewer.isAdmin || viewer.isHiringManagerOfOpening || filedForApplication;
}

export function visibleScorecards<T extends { authorId: string }>(
  viewer: Viewer,
  all: readonly T[],
): { cards: T[]; hidden: number; seesAll: boolean } {
  const own = all.filter((c) => c.authorId === viewer.id);
  const seesAll = seesAllScorecards(viewer, own.length > 0);
  const cards = seesAll ? [...all] : own;
  return { cards, hidden: all.length - cards.length, seesAll };
}
