import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { ENV } from '../common/config/config.module';
import { Env } from '../common/config/env.schema';
import { ApplicationException, ErrorCode } from '../common/errors/application.exception';
import { MetricsAccess } from './metrics-access';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../identity/decorators';
import { MetricsService } from './metrics.service';

@ApiExcludeController()
@Controller()
export class MetricsController {
  private readonly access: MetricsAccess;
  constructor(
    private readonly metrics: MetricsService,
    @Inject(ENV) env: Env,
  ) {
    this.access = new MetricsAccess(env.METRICS_TOKEN, env.METRICS_ALLOW);
  }

  /** No staff session; METRICS_TOKEN or an address in METRICS_ALLOW (see metrics-access.ts). */
  @Public()
  @Get('metrics')
  async render(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string> {
    if (!this.access.allows(req.ip, req.headers.authorization)) {
      throw new ApplicationException(
        ErrorCode.Forbidden,
        'Metrics need Authorization: Bearer <METRICS_TOKEN>, or a client address listed in METRICS_ALLOW',
      );
    }
    const body = await this.metrics.render();
    res.setHeader('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    return body;
  }
}
