import { BadRequestException, type ArgumentMetadata, type Type } from '@nestjs/common';
import fc from 'fast-check';
import { CreateAnalysisResultDto } from '../analysis-results/dto/create-analysis-result.dto';
import { ClaimJobDto, CompleteJobDto, FailJobDto, HeartbeatJobDto } from '../jobs/dto/job-actions.dto';
import { CreateMediaAssetDto } from '../media-assets/dto/create-media-asset.dto';
import { CreateMediaJobDto } from '../media/dto/create-media-job.dto';
import { CreateTranscriptionDto } from '../transcriptions/dto/create-transcription.dto';
import { CompiledValidationPipe } from './compiled-validation.pipe';
import { createValidationPipe } from './validation';

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

/** What a pipe answers: the validated plain fields, or the 400 messages. */
async function outcome(
  pipe: { transform(v: unknown, m: ArgumentMetadata): unknown },
  value: unknown,
  metatype: Type<unknown>,
) {
  try {
    const result = await pipe.transform(value, { type: 'body', metatype });
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
  const standard = createValidationPipe();

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

  it('answers an empty or missing body like the ValidationPipe', async () => {
    for (const value of [undefined, null, {}]) {
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
      ['12', { type: 'param', metatype: Number, data: 'n' }],
      [undefined, { type: 'custom', metatype: String }],
      ['n8n-run-1', { type: 'custom', metatype: String }],
      [{ any: 'value' }, { type: 'custom', metatype: Object }],
    ];
    for (const [value, metadata] of cases) {
      expect(await compiled.transform(value, metadata)).toEqual(await standard.transform(value, metadata));
    }
  });

  it('rejects NUL and unpaired surrogates anywhere, naming the field', async () => {
    expect(await outcome(compiled, { media_url: 'https://x/a', prompt: 'a\u0000b' }, CreateMediaJobDto)).toEqual({
      messages: ['prompt must not contain NUL (\\u0000) characters or unpaired surrogates'],
    });
    await expect(
      Promise.resolve().then(() => compiled.transform('\ud800', { type: 'param', metatype: String, data: 'id' })),
    ).rejects.toThrow(BadRequestException);
  });
});
