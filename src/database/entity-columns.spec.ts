import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DECORATORS } from '@nestjs/swagger';
import { getMetadataArgsStorage } from 'typeorm';
import { AnalysisResult } from '../analysis-results/analysis-result.entity';
import { AnalysisResultResponseDto } from '../analysis-results/dto/analysis-result-response.dto';
import { CreateAnalysisResultDto } from '../analysis-results/dto/create-analysis-result.dto';
import { CreateMediaAssetDto } from '../media-assets/dto/create-media-asset.dto';
import { CreateTranscriptionDto } from '../transcriptions/dto/create-transcription.dto';
import { JobEventResponseDto } from '../events/dto/job-event-response.dto';
import { JobEvent } from '../events/job-event.entity';
import { JobResponseDto } from '../jobs/dto/job-response.dto';
import { Job, JOB_DEFAULTS } from '../jobs/job.entity';
import { JOB_COLUMNS, JOB_SQL } from '../jobs/job-sql';
import { CreateMediaJobDto } from '../media/dto/create-media-job.dto';
import { MediaAssetResponseDto } from '../media-assets/dto/media-asset-response.dto';
import { MediaAsset } from '../media-assets/media-asset.entity';
import { TranscriptionResponseDto } from '../transcriptions/dto/transcription-response.dto';
import { Transcription } from '../transcriptions/transcription.entity';
import { answerColumns, columnList, insertColumns, tableName, type EntityClass } from './entity-columns';
import { ENTITIES } from './entities';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity';
import { Webhook } from '../webhooks/webhook.entity';

const ROOT = path.join(__dirname, '..', '..');
const OPENAPI = JSON.parse(readFileSync(path.join(ROOT, 'openapi.json'), 'utf8')) as {
  components: { schemas: Record<string, { properties: Record<string, { default?: unknown }> }> };
};

/** The fields a DTO declares with @ApiProperty, in declaration order. */
function dtoFields(dto: abstract new () => object): string[] {
  const names = (Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, dto.prototype) ?? []) as string[];
  return names.map((name) => name.replace(/^:/, ''));
}

/** Each table's entity and the DTO of its answers. */
const TABLES: [EntityClass, abstract new () => object][] = [
  [Job, JobResponseDto],
  [MediaAsset, MediaAssetResponseDto],
  [Transcription, TranscriptionResponseDto],
  [AnalysisResult, AnalysisResultResponseDto],
  [JobEvent, JobEventResponseDto],
];

/**
 * Tables whose answers are not their rows: a subscription never answers its (sealed) secret and
 * answers only its settings, and a delivery is answered joined with its event.
 * Their DTOs are checked by the webhooks e2e tests.
 */
const ANSWERED_OTHERWISE: EntityClass[] = [Webhook, WebhookDelivery];

/** Answer fields computed from columns rather than stored: has_callback stands for the secret callback_url. */
const COMPUTED: Map<EntityClass, string[]> = new Map([[Job, ['has_callback']]]);

describe('columns are declared once, on the entity', () => {
  it('covers every entity', () => {
    expect([...TABLES.map(([entity]) => entity), ...ANSWERED_OTHERWISE]).toEqual(ENTITIES);
  });

  it.each(TABLES.map(([entity, dto]) => [entity.name, entity, dto] as const))(
    '%s: the response DTO and openapi.json list exactly the entity columns, in order',
    (_name, entity, dto) => {
      const columns = [...answerColumns(entity), ...(COMPUTED.get(entity) ?? [])];
      expect(dtoFields(dto)).toEqual(columns);
      expect(Object.keys(OPENAPI.components.schemas[dto.name].properties)).toEqual(columns);
    },
  );

  it('leaves internal columns (select: false) out of the answers', () => {
    expect(answerColumns(Job)).not.toContain('idempotency_key');
    const internal = getMetadataArgsStorage()
      .filterColumns(Job)
      .filter((column) => column.options.select === false)
      .map((column) => column.propertyName);
    expect(internal).toEqual(['idempotency_key', 'callback_url']);
  });

  it('selects and returns the entity columns in every job statement that answers a job', () => {
    expect(JOB_COLUMNS).toBe(`${answerColumns(Job).join(', ')}, (callback_url IS NOT NULL) AS has_callback`);
    for (const name of [
      'insert',
      'insertWithIdempotencyKey',
      'start',
      'complete',
      'fail',
      'retry',
      'heartbeat',
      'claim',
    ]) {
      expect(JOB_SQL[name as keyof typeof JOB_SQL].text).toContain(`RETURNING ${JOB_COLUMNS}`);
    }
    for (const entity of [MediaAsset, Transcription, AnalysisResult]) {
      expect(JOB_SQL.findDetail.text).toContain(`SELECT ${columnList(entity)} FROM ${tableName(entity)}`);
    }
  });

  it('writes no SELECT * or RETURNING * anywhere in the service', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts') && !file.endsWith('.spec.ts')) {
          if (/\b(SELECT|RETURNING)\s+\*/i.test(readFileSync(file, 'utf8'))) offenders.push(path.relative(ROOT, file));
        }
      }
    };
    walk(path.join(ROOT, 'src'));
    expect(offenders).toEqual([]);
  });

  it('documents the defaults of a create request as the entity declares them', () => {
    const defaults = Object.fromEntries(
      getMetadataArgsStorage()
        .filterColumns(Job)
        .map((column) => [column.propertyName, column.options.default]),
    );
    const documented = OPENAPI.components.schemas[CreateMediaJobDto.name].properties;
    for (const [field, value] of Object.entries(JOB_DEFAULTS)) {
      expect(defaults[field]).toBe(value);
      expect(documented[field].default).toBe(value);
    }
  });

  it.each([
    [MediaAsset, CreateMediaAssetDto],
    [Transcription, CreateTranscriptionDto],
    [AnalysisResult, CreateAnalysisResultDto],
  ])('%p: the create DTO fills exactly the columns an insert writes', (entity, dto) => {
    const filled = insertColumns(entity)
      .map((column) => column.name)
      .filter((name) => name !== 'job_id');
    expect(dtoFields(dto)).toEqual(filled);
    expect(insertColumns(entity).map((column) => column.name)).not.toContain('created_at');
    expect(insertColumns(entity).map((column) => column.name)).not.toContain('id');
  });

  it('reads each column default as SQL', () => {
    const byName = Object.fromEntries(insertColumns(Job).map((column) => [column.name, column.defaultSql]));
    expect(byName).toMatchObject({ status: "'pending'", parameters: "'{}'", priority: '0', max_attempts: '3' });
    expect(byName.idempotency_key).toBeUndefined();
    expect(byName.prompt).toBeUndefined();
  });

  it('refuses a class that is not an entity', () => {
    expect(() => answerColumns(JobResponseDto)).toThrow(/JobResponseDto/);
    expect(() => tableName(JobResponseDto)).toThrow(/JobResponseDto/);
  });
});
