import { Candidate } from '../candidates/candidate.entity';
import { loadEnv } from '../common/config/env.schema';
import { privacyLink } from '../privacy/privacy-token';
import { Opening } from '../openings/opening.entity';
import { User } from '../identity/user.entity';
import { stageIndex } from './domain/stages';

/** One formatter per currency: each Intl.NumberFormat holds native ICU memory, and sweeps render thousands of messages. */
const formats = new Map<string, Intl.NumberFormat | null>();
const money = (n: number, currency: string) => {
  let f = formats.get(currency);
  if (f === undefined) {
    try {
      f = new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 0 });
    } catch {
      f = null;
    }
    if (formats.size < 1000) formats.set(currency, f);
  }
  return f ? f.format(n) : `${currency} ${n}`;
};

/**
 * The variables of candidateMessageContext that depend on the candidate (dotted paths), and their
 * values: what a sweep substitutes into one render per opening and stage
 * (TemplateService.variantRenderer).
 */
export const CANDIDATE_SLOTS = ['candidate.name', 'candidate.firstName', 'links.privacy'] as const;
export function candidateSlotValues(candidate: Pick<Candidate, 'id' | 'name'>, publicUrl: string): string[] {
  return [candidate.name, firstName(candidate.name), privacyLink(publicUrl, candidate.id, loadEnv().SESSION_SECRET)];
}
const firstName = (name: string) => name.split(/\s+/)[0];

/** Variables every candidate message may use (see communications/template-registry.ts). */
export function candidateMessageContext(
  opening: Opening,
  candidate: Pick<Candidate, 'id' | 'name'>,
  stageKey: string,
  recruiter: Pick<User, 'name' | 'email'>,
  publicUrl: string,
) {
  const current = stageIndex(opening.stages, stageKey);
  const stages = opening.stages.map((s, i) => ({
    key: s.key,
    number: i + 1,
    name: s.name,
    description: s.description,
    current: i === current,
  }));
  return {
    candidate: { name: candidate.name, firstName: firstName(candidate.name) },
    opening: { title: opening.title },
    recruiter: { name: recruiter.name, email: recruiter.email },
    // Signed (HMAC of the id with SESSION_SECRET): the page cannot be reached by guessing an id.
    links: { status: null as string | null, privacy: privacyLink(publicUrl, candidate.id, loadEnv().SESSION_SECRET) },
    stages,
    stage: stages[Math.max(0, current)],
    totalStages: stages.length,
    contactSlaBusinessDays: opening.stages[Math.max(0, current)]?.contactSlaBusinessDays ?? 3,
    compensation: {
      min: opening.compensationMin,
      max: opening.compensationMax,
      currency: opening.compensationCurrency,
      range: `${money(opening.compensationMin, opening.compensationCurrency)} – ${money(opening.compensationMax, opening.compensationCurrency)}`,
    },
  };
}
