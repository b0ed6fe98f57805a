import { type DynamicModule, Module } from '@nestjs/common';
import { Environment } from './environment';

/**
 * Makes the one validated `Environment` (read by main.ts, or built by a test) injectable
 * everywhere. Nothing below this module reads the raw environment or validates it again.
 */
@Module({})
export class AppConfigModule {
  static forRoot(env: Environment): DynamicModule {
    return {
      module: AppConfigModule,
      global: true,
      providers: [{ provide: Environment, useValue: env }],
      exports: [Environment],
    };
  }
}
