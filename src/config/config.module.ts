import { DynamicModule, Global, Module } from '@nestjs/common';
import { EnvironmentVariables } from './env.validation';

/** Makes the validated environment injectable as `EnvironmentVariables` everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(env: EnvironmentVariables): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: EnvironmentVariables, useValue: env }], exports: [EnvironmentVariables] };
  }
}
