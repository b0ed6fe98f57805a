import { BadRequestException, type ArgumentMetadata, type Type } from '@nestjs/common';
import fc from 'fast-check';
import { CreateAnalysisResultDto } from '../analysis-results/dto/create-analysis-result.dto';
import { ListAnalysisResultsQueryDto } from '../analysis-results/dto/list-analysis-results-query.dto';
import { ListBranchJobsQueryDto, ListJobsQueryDto } from '../jobs/dto/list-jobs-query.dto';
import { ListMediaAssetsQueryDto } from '../media-assets/dto/list-media-assets-query.dto';
import { ListTranscriptionsQueryDto } from '../transcriptions/dto/list-transcriptions-query.dto';
import { ClaimJobDto, CompleteJobDto, FailJobDto, HeartbeatJobDto } from '../jobs/dto/job-actions.dto';
import { CreateMediaAssetDto } from '../media-assets/dto/create-media-asset.dto';
import { CreateMediaJobDto } from '../media/dto/create-media-job.dto';
import { CreateTranscriptionDto } from '../transcriptions/dto/create-transcription.dto';
import { CompiledValidationPipe } from './compiled-validation.pipe';
import { createNestValidationPipe } from '../../test/utils/nest-validation-pipe';

const BODY_DTOS: [Type<unknown>, string[]][] = [
  [CreateMediaJobDto, ['media_url', 'prompt', 'parameters', 'priority', 'max_attempts']],
  [CreateMediaAssetDto, ['asset_type', 'file_path', 'file_size_bytes', 'mime_type', 'metadata']],
  [CreateTranscriptionDto, ['provider', 'text_content', 'language', 'confidence_score', 'word_timestamps', 'metadata']],
  [
    CreateAnalysisResultDto,
    [
      'analysis_type',
      'summary',
      'detailed_analysis',
      'confidence_score',
      'model_used',
      'prompt_used',
      'input_tokens',
      'output_tokens',
    ],
  ],
  [ClaimJobDto, ['job_types', 'worker_id', 'lease_seconds']],
  [HeartbeatJobDto, ['worker_id', 'lease_seconds']],
  [CompleteJobDto, ['result', 'worker_id']],
  [FailJobDto, ['error', 'worker_id']],
];

/** An empty query object as Fastify's parser (fast-querystring) makes it: `new Empty()`, Empty.prototype = Object.create(null). */
function fastifyQuery(): Record<string, unknown> {
  function Empty() {}
  Empty.prototype = Object.create(null) as object;
  return new (Empty as unknown as new () => Record<string, unknown>)();
}

const PAGE = ['limit', 'cursor', 'created_after', 'created_before'];
const QUERY_DTOS: [Type<unknown>, string[]][] = [
  [ListJobsQueryDto, [...PAGE, 'status', 'job_type']],
  [ListBranchJobsQueryDto, [...PAGE, 'status']],
  [ListMediaAssetsQueryDto, [...PAGE, 'asset_type']],
  [ListTranscriptionsQueryDto, [...PAGE, 'provider']],
  [ListAnalysisResultsQueryDto, [...PAGE, 'analysis_type']],
];

/** What a pipe answers: the validated plain fields, or the 400 messages. */
async function outcome(
  pipe: { transform(v: unknown, m: ArgumentMetadata): unknown },
  value: unknown,
  metatype: Type<unknown>,
  type: 'body' | 'query' = 'body',
) {
  try {
    const result = await pipe.transform(value, { type, metatype });
    return { ok: { ...(result as object) }, type: (result as object).constructor };
  } catch (error) {
    if (!(error instanceof BadRequestException)) throw error;
    return { messages: (error.getResponse() as { message: string[] }).message };
  }
}

const interesting = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constantFrom(
    'https://cdn.example.com/a.mp4',
    's3://bucket/key',
    'ftp://x',
    'video',
    'audio',
    'deepgram',
    'frame',
    'image/png',
    'en',
    'pt-BR',
    '',
  ),
  fc.string({ maxLength: 30 }),
  fc.integer({ min: -200, max: 100_000 }),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constantFrom(['video'], [], ['video', 'podcast'], [{ word: 'a', start: 0, end: 1 }], { any: 'object' }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

describe('CompiledValidationPipe', () => {
  const compiled = new CompiledValidationPipe();
  const standard = createNestValidationPipe();

  it.each(BODY_DTOS)('gives the same answer as the ValidationPipe for %p', async (dto, fields) => {
    const body = fc.record(Object.fromEntries([...fields, 'unknown_field'].map((f) => [f, interesting])), {
      requiredKeys: [],
    });
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const [fast, reference] = [await outcome(compiled, value, dto), await outcome(standard, value, dto)];
        expect(fast).toEqual(reference);
      }),
      { numRuns: 300 },
    );
  });

  // What Fastify's query parser hands over: strings, arrays of repeated parameters, no prototype.
  const queryValue = fc.oneof(
    fc.constantFrom('20', '1', '100', '0', '101', '-1', '1.5', '1e2', ' 7', '0x10', '', 'abc', 'pending', 'video'),
    fc.constantFrom('2026-01-20', '2026-01-20T10:00:00Z', '2026-02-30', 'MjAyNi0wMS0yMFQxMDowMDowMC4wMDAwMDBafDA'),
    fc.string({ maxLength: 12 }),
    fc.array(fc.constantFrom('5', 'x', 'pending'), { minLength: 2, maxLength: 3 }),
  );

  it.each(QUERY_DTOS)('answers query strings like the ValidationPipe for %p', async (dto, fields) => {
    const keys = [...fields, 'unknown_field', '__proto__', 'prototype', 'constructor'];
    const query = fc.dictionary(fc.constantFrom(...keys), queryValue, { maxKeys: 5 });
    const parsed = (entries: Record<string, unknown>) => Object.assign(fastifyQuery(), entries);
    await fc.assert(
      fc.asyncProperty(query, async (entries) => {
        const [fast, reference] = [
          await outcome(compiled, parsed(entries), dto, 'query'),
          await outcome(standard, parsed(entries), dto, 'query'),
        ];
        expect(fast).toEqual(reference);
      }),
      { numRuns: 400 },
    );
  });

  it('converts limit to a number, as class-transformer does', async () => {
    const result = await compiled.transform(Object.assign(fastifyQuery(), { limit: '20', status: 'pending' }), {
      type: 'query',
      metatype: ListJobsQueryDto,
    });
    expect(result).toBeInstanceOf(ListJobsQueryDto);
    expect(result).toEqual(Object.assign(new ListJobsQueryDto(), { limit: 20, status: 'pending' }));
  });

  it('answers an empty, missing or non-object body like the ValidationPipe', async () => {
    for (const value of [undefined, null, {}, [], [1], [{ media_url: 'https://x/a' }], 'x', 5, true, false, 0]) {
      expect(await outcome(compiled, value, CreateMediaJobDto)).toEqual(
        await outcome(standard, value, CreateMediaJobDto),
      );
      expect(await outcome(compiled, value, ClaimJobDto)).toEqual(await outcome(standard, value, ClaimJobDto));
    }
  });

  it('names the field in its messages', async () => {
    const result = await outcome(compiled, { media_url: 'ftp://x', priority: 1.5, extra: 1 }, CreateMediaJobDto);
    expect(result.messages).toEqual(
      expect.arrayContaining([
        'property extra should not exist',
        'media_url must be an absolute http, https or s3 URL',
        'priority must be an integer number',
      ]),
    );
  });

  it('answers parameters, custom decorators and primitives like the ValidationPipe', async () => {
    const cases: [unknown, ArgumentMetadata][] = [
      ['3fa85f64-5717-4562-b3fc-2c963f66afa6', { type: 'param', metatype: String, data: 'id' }],
      [undefined, { type: 'custom', metatype: String }],
      ['n8n-run-1', { type: 'custom', metatype: String }],
      [{ any: 'value' }, { type: 'custom', metatype: Object }],
    ];
    for (const [value, metadata] of cases) {
      expect(await compiled.transform(value, metadata)).toEqual(await standard.transform(value, metadata));
    }
  });

  it('has no fallback: a parameter it has no rule for is an error, not a silent pass', () => {
    expect(() => compiled.transform('12', { type: 'param', metatype: Number, data: 'n' })).toThrow(/param.*Number/);
    expect(() => compiled.transform('x', { type: 'body', metatype: String })).toThrow(/body.*String/);
  });

  it('rejects NUL and unpaired surrogates in queries and parameters, naming the field', async () => {
    expect(await outcome(compiled, { cursor: 'a\u0000b' }, ListJobsQueryDto, 'query')).toEqual({
      messages: ['cursor must not contain NUL (\\u0000) characters or unpaired surrogates'],
    });
    await expect(
      Promise.resolve().then(() => compiled.transform('\ud800', { type: 'param', metatype: String, data: 'id' })),
    ).rejects.toThrow(BadRequestException);
  });
});
