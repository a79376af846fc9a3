import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { EventSourcingModuleOptions } from './options.js';

/** Builds `forRoot` / `forRootAsync`; the module is global unless `isGlobal: false`. */
export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<EventSourcingModuleOptions>({ moduleName: 'EventSourcing' })
    .setClassMethodName('forRoot')
    .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
    .build();
