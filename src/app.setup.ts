import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import type { Environment } from './config/environment';
import { serveDashboard } from './dashboard/dashboard-assets';
import { createFastifyAdapter } from './http/fastify-adapter';
import { installHttpPipeline } from './http/http-pipeline';

/** Creates the application exactly as production runs it (also used by the e2e tests). */
export async function createApp(env: Environment): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env), createFastifyAdapter(), {
    abortOnError: false,
    bufferLogs: true,
    // JSON only: no form-body parser (installHttpPipeline registers the JSON one).
    bodyParser: false,
  });
  installHttpPipeline(app, env);
  await serveDashboard(app);
  return app;
}
