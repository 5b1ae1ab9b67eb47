import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from './app.config.js';

/** Loads `.env` (never overriding the real environment) and exposes the typed `appConfig` everywhere. */
@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true, load: [appConfig] })],
})
export class AppConfigModule {}
