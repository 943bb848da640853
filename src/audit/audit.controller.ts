import { DefaultValuePipe, Get, ParseIntPipe, Query, Res } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { Response } from 'express';
import { badRequest } from '../common/errors/application.exception';
import { ApiController } from '../common/http/api-controller';
import { AuditService } from './audit.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const instant = (name: string, v?: string) => {
  if (!v) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw badRequest(`${name} must be an ISO instant such as 2027-01-15T09:00:00Z`);
  return d;
};

/**
 * The audit log, newest first, for admins (no @Roles: admin only). Read-only by construction:
 * there is no route that changes it, and the table refuses UPDATE/DELETE/TRUNCATE.
 */
@ApiController('audit', 'audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiQuery({ name: 'entity', required: false, description: 'entity type (application, candidate, …) or type:id' })
  @ApiQuery({
    name: 'before',
    required: false,
    description: 'paging: the id of the last entry of the previous page (also in the x-next-before header)',
  })
  async list(
    @Res({ passthrough: true }) res: Response,
    @Query('actorId') actorId?: string,
    @Query('entity') entity?: string,
    @Query('entityId') entityId?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('method') method?: string,
    @Query('outcome') outcome?: string,
    @Query('before') before?: string,
    @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit = 100,
  ) {
    if (actorId && !UUID.test(actorId)) throw badRequest('actorId must be a UUID');
    if (limit < 1 || limit > 500) throw badRequest('limit must be between 1 and 500');
    if (before && !/^\d{1,18}$/.test(before)) throw badRequest('before must be an entry id');
    if (method && !['POST', 'PUT', 'PATCH', 'DELETE'].includes(method.toUpperCase()))
      throw badRequest('method must be POST, PUT, PATCH or DELETE');
    if (outcome && !['succeeded', 'failed'].includes(outcome)) throw badRequest('outcome must be succeeded or failed');
    const [entityType, idFromEntity] = entity
      ? entity.includes(':')
        ? [entity.slice(0, entity.indexOf(':')), entity.slice(entity.indexOf(':') + 1)]
        : [entity, undefined]
      : [undefined, undefined];
    const items = await this.audit.list({
      actorId,
      entityType: entityType || undefined,
      entityId: entityId ?? idFromEntity,
      from: instant('from', from),
      to: instant('to', to),
      method: method?.toUpperCase(),
      outcome,
      before,
      limit,
    });
    if (items.length === limit) res.setHeader('x-next-before', String(items[items.length - 1].id));
    return items;
  }
}
