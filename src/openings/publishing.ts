import { badRequest } from '../common/errors/application.exception';
import { Opening } from './opening.entity';

export interface PublishingChange {
  published?: boolean;
  description?: string;
  location?: string | null;
  remote?: boolean;
  remoteTimeZones?: string[];
}

/**
 * Applies the careers-page fields of PATCH /openings/:id. A published opening must say where the
 * job is (a location, remote, or both) and must not be closed; the pay range is always shown, so
 * it needs nothing more. Publishing again keeps the first publication instant.
 */
export function applyPublishing(o: Opening, dto: PublishingChange, now: Date): void {
  if (dto.description !== undefined) o.description = dto.description;
  if (dto.location !== undefined) o.location = dto.location?.trim() || null;
  if (dto.remote !== undefined) o.remote = dto.remote;
  if (dto.remoteTimeZones !== undefined) o.remoteTimeZones = [...new Set(dto.remoteTimeZones)];
  if (dto.published !== undefined) {
    if (dto.published && o.closedAt) throw badRequest('published: a closed opening cannot be published');
    if (dto.published && !o.published) o.publishedAt = now;
    o.published = dto.published;
  }
  if (o.published && !o.location && !o.remote) throw badRequest('location: a published opening needs a location or remote: true');
}
