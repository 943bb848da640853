import { applyDecorators, Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

export const API_PREFIX = 'api/v1';

/** A JSON API controller under /api/v1 (pages and operations live outside it). */
export function ApiController(path: string, tag: string): ClassDecorator {
  return applyDecorators(Controller(path ? `${API_PREFIX}/${path}` : API_PREFIX), ApiTags(tag), ApiBearerAuth());
}
