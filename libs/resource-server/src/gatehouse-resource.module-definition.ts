import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { GatehouseResourceOptions } from './options.js';

/**
 * Nest's own builder gives `forRoot` and `forRootAsync` (useFactory / useClass / useExisting) their
 * usual shapes. Global by default, so the health service can be injected anywhere; the guard is
 * an APP_GUARD and global either way.
 */
export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } = new ConfigurableModuleBuilder<GatehouseResourceOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
