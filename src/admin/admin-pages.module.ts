import { Controller, Get, Module, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';
import { AuditModule } from '../audit/audit.module';
import { Public } from '../identity/decorators';
import { IntegrationsModule } from '../integrations/integrations.module';
import { InterviewsModule } from '../interviews/interviews.module';
import { AdminDirectory } from './admin-directory';
import { AdminPagesController } from './admin-pages.controller';

/** Browsers ask for /favicon.ico whatever the page says; answer with the icon instead of a 404. */
@ApiExcludeController()
@Controller()
export class FaviconController {
  @Public()
  @Get('favicon.ico')
  favicon(@Res() res: Response) {
    res.setHeader('cache-control', 'public, max-age=86400');
    res.redirect(301, '/static/favicon.svg');
  }
}

/** The admin pages (API process only). */
@Module({
  imports: [InterviewsModule, IntegrationsModule, AuditModule],
  controllers: [AdminPagesController, FaviconController],
  providers: [AdminDirectory],
})
export class AdminPagesModule {}
