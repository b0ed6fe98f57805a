import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { buildOpenApiDocument } from './http/openapi-document';
import { validateEnvironment } from './config/environment';

/**
 * Writes the OpenAPI document to openapi.json (or the path given) for client generators.
 * Preview mode builds the module graph without running providers, so no database is needed;
 * the default environment, so the document does not depend on the machine's variables.
 */
async function writeOpenApi(target = 'openapi.json'): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(validateEnvironment({})),
    new FastifyAdapter(),
    {
      preview: true,
      logger: false,
      abortOnError: false,
    },
  );
  const document = buildOpenApiDocument(app);
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
}

writeOpenApi(process.argv[2]).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
