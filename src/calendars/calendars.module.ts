import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { IntegrationsModule } from '../integrations/integrations.module';
import { CALENDARS_CONFIG, parseCalendarsConfig } from './calendars.config';
import { CalendarPagesController } from './calendar-pages.controller';
import { CalendarsController } from './calendars.controller';
import { CalendarsService } from './calendars.service';
import { SchedulingSettingsController, SchedulingSettingsPageController } from './scheduling-settings.controller';

/** Connected calendars (CalDAV, ICS feeds): busy times for the schedulers, write-back of booked sessions. */
@Module({
  imports: [IntegrationsModule, AlertsModule],
  controllers: [CalendarsController, CalendarPagesController, SchedulingSettingsController, SchedulingSettingsPageController],
  providers: [{ provide: CALENDARS_CONFIG, useFactory: () => parseCalendarsConfig(process.env) }, CalendarsService],
  exports: [CalendarsService, CALENDARS_CONFIG],
})
export class CalendarsModule {}
