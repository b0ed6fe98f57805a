import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { onApiRoute, operationsByRoute } from './openapi-document';

/** A schema or a $ref to one (the package's own type is not exported). */
type OpenApiSchema = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

/** What fast-json-stringify needs of a schema: the shape, never the rules. */
export interface SerializerSchema {
  type?: string;
  format?: 'date-time';
  nullable?: boolean;
  properties?: Record<string, SerializerSchema>;
  items?: SerializerSchema;
}

/** Any JSON value, written by JSON.stringify. */
const ANY_JSON: SerializerSchema = {};

/**
 * The part of a documented schema that serialization needs. Free-form values (jsonb objects,
 * oneOf) become "any JSON", so they are written exactly as JSON.stringify writes them; `required`
 * is dropped, so a missing field is left out as before rather than failing the answer.
 */
export function serializerSchema(schema: OpenApiSchema, components: Record<string, OpenApiSchema>): SerializerSchema {
  if ('$ref' in schema) {
    const target = components[schema.$ref.replace('#/components/schemas/', '')];
    if (!target) throw new Error(`OpenAPI schema ${schema.$ref} is not in the document`);
    return serializerSchema(target, components);
  }
  // A $ref with a description (the CLI plugin's doc comments) is written `allOf: [{$ref}]`.
  if (schema.allOf?.length === 1 && !schema.type) {
    const inner = serializerSchema(schema.allOf[0], components);
    return schema.nullable ? { ...inner, nullable: true } : inner;
  }
  const shape = (type: string): SerializerSchema => (schema.nullable ? { type, nullable: true } : { type });
  switch (schema.type) {
    case 'object':
      if (!schema.properties) return ANY_JSON;
      return {
        ...shape('object'),
        properties: Object.fromEntries(
          Object.entries(schema.properties).map(([name, property]) => [name, serializerSchema(property, components)]),
        ),
      };
    case 'array':
      return { ...shape('array'), items: schema.items ? serializerSchema(schema.items, components) : ANY_JSON };
    case 'string':
      // A Date is written with toISOString only under format date-time.
      return schema.format === 'date-time' ? { ...shape('string'), format: 'date-time' } : shape('string');
    case 'integer':
    case 'number':
    case 'boolean':
      return shape(schema.type);
    default:
      return ANY_JSON;
  }
}

/** The 2xx JSON answers of each documented operation, by Fastify route ("GET /api/jobs/:id"). */
export function documentedAnswers(document: OpenAPIObject): Map<string, Record<string, SerializerSchema>> {
  const components = document.components?.schemas ?? {};
  const answers = new Map<string, Record<string, SerializerSchema>>();
  for (const [route, operation] of operationsByRoute(document)) {
    const byStatus: Record<string, SerializerSchema> = {};
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      const schema = response && 'content' in response ? response.content?.['application/json']?.schema : undefined;
      if (/^2\d\d$/.test(status) && schema) byStatus[status] = serializerSchema(schema, components);
    }
    if (Object.keys(byStatus).length > 0) answers.set(route, byStatus);
  }
  return answers;
}

/**
 * Success answers of /api are serialized by Fastify from their documented schemas
 * (fast-json-stringify, compiled once per route): a page of 20 jobs takes about half the time
 * of JSON.stringify. The OpenAPI document is the one source, so the JSON answered is the JSON
 * documented; errors and undocumented routes keep JSON.stringify. Must be called before the
 * routes are registered (app.init). A field missing from the document is missing from the
 * answer, so every response DTO field carries an explicit @ApiProperty: under Jest the Swagger
 * CLI plugin, which would add the others, does not run. documented-serializers.spec.ts checks
 * that the answers documented under Jest are those of openapi.json (built by the Nest CLI).
 */
export function serializeAnswersAsDocumented(fastify: FastifyInstance, document: OpenAPIObject): void {
  const answers = documentedAnswers(document);
  onApiRoute(fastify, (route, key) => {
    const response = answers.get(key);
    if (response) route.schema = { ...route.schema, response };
  });
}
