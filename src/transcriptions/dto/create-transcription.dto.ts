import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNumber, IsObject, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { MaxCodePoints } from '../../common/validation';
import { IsWordTimestamps } from '../word-timestamps';

export const TRANSCRIPTION_PROVIDERS = ['deepgram', 'groq', 'openai', 'gemini'] as const;
export type TranscriptionProvider = (typeof TRANSCRIPTION_PROVIDERS)[number];

/** One timed word of a transcript. */
export class WordTimestampDto {
  /** The word. */
  @ApiProperty({ example: 'hello' })
  word: string;

  /** Start, in seconds from the beginning of the media. */
  @ApiProperty({ example: 0.32 })
  start: number;

  /** End, in seconds. */
  @ApiProperty({ example: 0.61 })
  end: number;

  /** Provider confidence, 0..1. */
  @ApiProperty({ required: false, example: 0.98 })
  confidence?: number;
}

/** Body of POST /api/jobs/{id}/transcriptions. */
export class CreateTranscriptionDto {
  /** Transcription provider. */
  @ApiProperty({ enum: TRANSCRIPTION_PROVIDERS, example: 'deepgram' })
  @IsIn(TRANSCRIPTION_PROVIDERS, { message: `provider must be one of: ${TRANSCRIPTION_PROVIDERS.join(', ')}` })
  provider: TranscriptionProvider;

  /** The transcript text (may be long, within the 1 MiB body limit). */
  @ApiProperty({ example: 'Hello and welcome to the quarterly review.' })
  @IsString()
  text_content: string;

  /** BCP 47 language tag, at most 10 characters. */
  @ApiProperty({ type: String, required: false, nullable: true, maxLength: 10, example: 'pt-BR' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, {
    message: 'language must be a BCP 47 language tag such as en or pt-BR',
  })
  @MaxCodePoints(10)
  language?: string | null;

  /** Overall confidence, 0..1. */
  @ApiProperty({ type: Number, required: false, nullable: true, minimum: 0, maximum: 1, example: 0.94 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  confidence_score?: number | null;

  /** Timed words: an array of {word, start, end, confidence?}, or a provider-specific object. */
  @ApiProperty({
    required: false,
    // anyOf with nullable alternatives: OpenAPI 3.0 has no null type, and nullable needs a type beside it.
    anyOf: [
      { type: 'array', items: { $ref: '#/components/schemas/WordTimestampDto' }, nullable: true },
      { type: 'object', additionalProperties: true, nullable: true },
    ],
    example: [{ word: 'Hello', start: 0.32, end: 0.61, confidence: 0.98 }],
  })
  @IsOptional()
  @IsWordTimestamps()
  word_timestamps?: WordTimestampDto[] | Record<string, unknown> | null;

  /** Free-form metadata (default {}). */
  @ApiProperty({
    required: false,
    nullable: true,
    type: Object,
    additionalProperties: true,
    example: { model: 'nova-2' },
  })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown> | null;
}
