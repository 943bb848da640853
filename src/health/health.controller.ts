import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { Public } from '../identity/decorators';
import { HealthService } from './health.service';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /**
   * 200 when database, redis and docker are all up; 503 naming what is down otherwise. A team
   * mailbox that cannot be read makes the status "degraded" with 200: the API itself still serves.
   */
  @Public()
  @Get('health')
  async get(@Res({ passthrough: true }) res: Response) {
    const report = await this.health.check();
    if (report.database !== 'up' || report.redis !== 'up' || report.docker !== 'up') res.status(503);
    return report;
  }
}
