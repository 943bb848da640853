import { Injectable } from '@nestjs/common';
import { Request, Response } from 'express';
import { MetricsService } from './metrics.service';

type HttpTimer = ReturnType<MetricsService['httpDuration']['startTimer']>;

@Injectable()
export class HttpMetricsMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  /** The request's timer; `finished` records it (configureApp calls both, from one `finish` listener for all it records). */
  start(): HttpTimer {
    return this.metrics.httpDuration.startTimer();
  }

  finished(req: Request, res: Response, end: HttpTimer): void {
    // The route pattern (not the raw URL) keeps label cardinality bounded and hides tokens.
    const route = (req.route?.path as string | undefined) ?? 'unmatched';
    end({ method: req.method, route: `${req.baseUrl ?? ''}${route}`, status: String(res.statusCode) });
  }
}
