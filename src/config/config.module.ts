import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Environment, validateEnvironment } from './environment';

/**
 * @nestjs/config loads `.env` (outside tests) and validates the environment; the typed
 * `Environment` is then injectable everywhere. A dynamic module, so that the environment is
 * read when the app is created rather than when this file is imported.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          validate: validateEnvironment,
          ignoreEnvFile: process.env.NODE_ENV === 'test',
          cache: true,
        }),
      ],
      providers: [{ provide: Environment, useFactory: () => validateEnvironment(process.env) }],
      exports: [Environment],
    };
  }
}
