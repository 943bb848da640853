import { Injectable } from '@nestjs/common';
import { IdentityService } from '../identity/identity.service';
import { Opening } from '../openings/opening.entity';
import { OpeningsService } from '../openings/openings.service';
import { badRequest } from '../common/errors/application.exception';
import { CareersService } from './careers.service';
import { PublicationDto } from './dto/publication.dto';

/** Job boards offered as ready-made tracked links (any other name works as `?source=<name>`). */
export const JOB_BOARDS = [
  { source: 'linkedin', name: 'LinkedIn' },
  { source: 'indeed', name: 'Indeed' },
  { source: 'stackoverflow', name: 'Stack Overflow' },
  { source: 'hackernews', name: 'Hacker News "Who is hiring"' },
  { source: 'welcometothejungle', name: 'Welcome to the Jungle' },
];

export interface ShareLinks {
  careersPage: string;
  opening: string;
  referral: { referrerId: string; referrerName: string; url: string };
  jobBoards: Array<{ name: string; url: string }>;
  internship: string;
  partner: (name: string) => string;
}

/**
 * Publishing an opening on the careers page (through OpeningsService.update, the one writer of
 * openings; the rules are openings/publishing.ts: a place or remote, not closed) and the links
 * that record where each application came from.
 */
@Injectable()
export class PublishingService {
  constructor(
    private readonly openings: OpeningsService,
    private readonly careers: CareersService,
    private readonly identity: IdentityService,
  ) {}

  publish(id: string, dto: PublicationDto): Promise<Opening> {
    if (dto.compensation.max < dto.compensation.min) throw badRequest('compensation: the maximum must be at least the minimum');
    return this.openings.update(id, {
      published: dto.published,
      description: dto.description,
      location: dto.location?.trim() ? dto.location.trim() : null,
      remote: dto.remote,
      remoteTimeZones: dto.remote ? (dto.remoteTimeZones ?? []) : [],
      compensation: dto.compensation,
    });
  }

  /** The links as JSON (a partner's link shown for an example partner, "codebar"). */
  async links(openingId: string, referrerId: string) {
    const { partner, ...rest } = await this.shareLinks(openingId, referrerId);
    return { ...rest, partnerExample: partner('codebar') };
  }

  async shareLinks(openingId: string, referrerId: string): Promise<ShareLinks> {
    const base = `${this.careers.baseUrl}/careers/${openingId}`;
    const referrer = await this.identity.getUser(referrerId).catch(() => null);
    if (!referrer || referrer.disabledAt) throw badRequest('referrerId: not an active staff member');
    const tracked = (source: string) => `${base}?source=${encodeURIComponent(source)}`;
    return {
      careersPage: `${this.careers.baseUrl}/careers`,
      opening: base,
      referral: { referrerId: referrer.id, referrerName: referrer.name, url: `${base}?ref=${referrer.id}` },
      jobBoards: JOB_BOARDS.map((b) => ({ name: b.name, url: tracked(b.source) })),
      internship: tracked('internship'),
      partner: (name: string) => tracked(`partner:${name}`),
    };
  }
}
