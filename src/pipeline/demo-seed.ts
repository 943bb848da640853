import { INestApplicationContext } from '@nestjs/common';
import { CandidatesService } from '../candidates/candidates.service';
import { CreateCandidateDto } from '../candidates/dto/candidate.dto';
import { OpeningsService } from '../openings/openings.service';
import { ApplicationsService } from './applications.service';

/** Demo pipeline: one opening and candidates from each source at different stages. */
export async function seedPipelineDemo(app: INestApplicationContext, users: Record<string, string>): Promise<void> {
  const openings = app.get(OpeningsService);
  const candidates = app.get(CandidatesService);
  const apps = app.get(ApplicationsService);
  const opening = await openings.create({
    title: 'Senior Backend Engineer (TypeScript)',
    hiringManagerId: users['manager@demo.local'],
    recruiterId: users['recruiter@demo.local'],
    compensation: { min: 95000, max: 125000, currency: 'EUR' },
    timezone: 'Europe/Berlin',
  });
  const actor = { kind: 'user' as const, id: users['recruiter@demo.local'] };
  const people: Array<{ name: string; email: string; timezone: string; source: CreateCandidateDto['source']; moves: string[] }> = [
    {
      name: 'Grace Hopper',
      email: 'grace@example.com',
      timezone: 'America/New_York',
      source: { kind: 'referral', referrerId: users['engineer@demo.local'] },
      moves: ['manager_call', 'take_home'],
    },
    {
      name: 'Alan Turing',
      email: 'alan@example.com',
      timezone: 'Europe/London',
      source: { kind: 'internship', detail: 'Summer 2025 intern' },
      moves: ['manager_call'],
    },
    {
      name: 'Yukihiro Matsumoto',
      email: 'yuki@example.com',
      timezone: 'Asia/Tokyo',
      source: { kind: 'partner', detail: 'Code2040' },
      moves: [],
    },
    {
      name: 'Margaret Hamilton',
      email: 'margaret@example.com',
      timezone: 'America/Los_Angeles',
      source: { kind: 'job_board', detail: 'Hacker News Who is Hiring' },
      moves: ['manager_call', 'take_home', 'code_review'],
    },
  ];
  for (const p of people) {
    const c = await candidates.create({ name: p.name, email: p.email, timezone: p.timezone, source: p.source, consent: true });
    const a = await apps.create(c.id, opening.id, actor);
    for (const to of p.moves) await apps.transition(a.id, to, undefined, actor);
  }
}
