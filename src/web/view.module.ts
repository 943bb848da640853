import { Global, Module } from '@nestjs/common';
import { ViewService } from './view.service';

/** The Handlebars renderer every page controller (and the HTML error page) uses; in every process. */
@Global()
@Module({ providers: [ViewService], exports: [ViewService] })
export class ViewModule {}
