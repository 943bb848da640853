import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Alert } from './alert.entity';
import { AlertsRepository } from './alerts.repository';

/** The alerts table and its one repository, for the modules below alerts that raise or move alerts (communications, openings). */
@Module({ imports: [TypeOrmModule.forFeature([Alert])], providers: [AlertsRepository], exports: [AlertsRepository] })
export class AlertsStoreModule {}
