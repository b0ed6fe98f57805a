import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import fc from 'fast-check';
import fastJsonStringify from 'fast-json-stringify';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module';
import { validateEnvironment } from '../config/environment';
import { documentedAnswers, serializerSchema, type SerializerSchema } from './documented-serializers';
import { buildOpenApiDocument } from './openapi-document';

// The committed document (CI fails when it is stale): built with the Swagger CLI plugin, as
// production is, which Jest's transform does not run.
const document = JSON.parse(readFileSync(path.join(__dirname, '../../openapi.json'), 'utf8')) as OpenAPIObject;
const answers = documentedAnswers(document);

/** Values of the documented shape, including what JSON.stringify and a serializer might write differently. */
function valuesOf(schema: SerializerSchema): fc.Arbitrary<unknown> {
  let value: fc.Arbitrary<unknown>;
  if (schema.type === 'object' && schema.properties) {
    const properties = Object.fromEntries(Object.entries(schema.properties).map(([k, s]) => [k, valuesOf(s)]));
    value = fc.record(properties);
  } else if (schema.type === 'array') {
    value = fc.array(valuesOf(schema.items ?? {}), { maxLength: 3 });
  } else if (schema.format === 'date-time') {
    value = fc.date({ noInvalidDate: true });
  } else if (schema.type === 'string') {
    value = fc.string({ unit: 'binary' });
  } else if (schema.type === 'integer') {
    value = fc.oneof(fc.integer(), fc.maxSafeInteger());
  } else if (schema.type === 'number') {
    value = fc.double({ noNaN: true, noDefaultInfinity: true });
  } else if (schema.type === 'boolean') {
    value = fc.boolean();
  } else {
    value = fc.jsonValue();
  }
  return schema.nullable ? fc.option(value, { nil: null }) : value;
}

describe('serializerSchema', () => {
  const components: Parameters<typeof serializerSchema>[1] = {
    Child: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
  };

  it('resolves references, keeps types, nullability and date-time, and drops the rules', () => {
    expect(
      serializerSchema(
        {
          type: 'object',
          required: ['at', 'children'],
          properties: {
            at: { type: 'string', format: 'date-time', nullable: true, example: 'x' },
            count: { type: 'integer', minimum: 0 },
            kind: { type: 'string', enum: ['a', 'b'] },
            children: { type: 'array', items: { $ref: '#/components/schemas/Child' } },
          },
        },
        components,
      ),
    ).toEqual({
      type: 'object',
      properties: {
        at: { type: 'string', format: 'date-time', nullable: true },
        count: { type: 'integer' },
        kind: { type: 'string' },
        children: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } },
      },
    });
  });

  it('reads a described reference (allOf with one $ref, as the CLI plugin writes it) as the reference', () => {
    expect(serializerSchema({ allOf: [{ $ref: '#/components/schemas/Child' }] }, components)).toEqual(
      serializerSchema({ $ref: '#/components/schemas/Child' }, components),
    );
  });

  it('leaves free-form values (jsonb objects, oneOf, anyOf, allOf of several) to JSON.stringify', () => {
    expect(serializerSchema({ type: 'object', additionalProperties: true, nullable: true }, components)).toEqual({});
    expect(serializerSchema({ oneOf: [{ type: 'array' }, { type: 'object' }] }, components)).toEqual({});
    expect(
      serializerSchema(
        {
          anyOf: [
            { type: 'array', nullable: true },
            { type: 'object', nullable: true },
          ],
        },
        components,
      ),
    ).toEqual({});
    expect(
      serializerSchema({ allOf: [{ $ref: '#/components/schemas/Child' }, { type: 'object' }] }, components),
    ).toEqual({});
  });

  it('refuses a reference the document does not hold', () => {
    expect(() => serializerSchema({ $ref: '#/components/schemas/Missing' }, components)).toThrow(/Missing/);
  });
});

describe('documentedAnswers (openapi.json)', () => {
  it('maps each operation to its Fastify route and its 2xx answers', () => {
    expect(Object.keys(answers.get('POST /api/media/video')!)).toEqual(['200', '201']);
    expect(Object.keys(answers.get('GET /api/jobs/:id')!)).toEqual(['200']);
    expect(answers.get('GET /api/jobs/:id')!['200'].properties).toHaveProperty(
      'transcriptions.items.properties.text_content',
    );
    // DELETE answers 204 without a body: nothing to serialize.
    expect(answers.has('DELETE /api/jobs/:id')).toBe(false);
  });

  it.each(
    [...answers].flatMap(([route, byStatus]) =>
      Object.entries(byStatus).map(([status, schema]) => [route, status, schema] as const),
    ),
  )('%s %s writes exactly what JSON.stringify writes', (_route, _status, schema) => {
    const serialize = fastJsonStringify(schema);
    fc.assert(
      fc.property(valuesOf(schema), (value) => serialize(value) === JSON.stringify(value)),
      { numRuns: 200 },
    );
  });
});

describe('the serializer whitelist', () => {
  it('is the same under Jest (no Swagger CLI plugin) as in the Nest CLI build (openapi.json)', async () => {
    // Preview mode: the module graph without providers, so no database (as npm run openapi).
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot(validateEnvironment({})),
      new FastifyAdapter(),
      { preview: true, logger: false, abortOnError: false },
    );
    try {
      const here = documentedAnswers(buildOpenApiDocument(app));
      expect([...here.keys()].sort()).toEqual([...answers.keys()].sort());
      for (const [route, byStatus] of answers)
        expect({ route, answers: here.get(route) }).toEqual({ route, answers: byStatus });
    } finally {
      await app.close();
    }
  });
});
