import { ApiProperty } from '@nestjs/swagger';
import { TRANSCRIPTION_PROVIDERS } from './create-transcription.dto';

/** A transcription: every column of `transcriptions`. */
export class TranscriptionResponseDto {
  /** Transcription id. */
  @ApiProperty({ format: 'uuid', example: '5c0a7e2d-8d3b-4f0e-a1c2-7e9b6d5f4a3c' })
  id: string;

  /** The job it belongs to. */
  @ApiProperty({ format: 'uuid', example: '3fa85f64-5717-4562-b3fc-2c963f66afa6' })
  job_id: string;

  /** Transcription provider. */
  @ApiProperty({ enum: TRANSCRIPTION_PROVIDERS, example: 'deepgram' })
  provider: string;

  /** The transcript text. */
  @ApiProperty({ example: 'Hello and welcome to the quarterly review.' })
  text_content: string;

  /** BCP 47 language tag. */
  @ApiProperty({ type: String, nullable: true, example: 'en' })
  language: string | null;

  /** Overall confidence, 0..1. */
  @ApiProperty({ type: Number, nullable: true, example: 0.94 })
  confidence_score: number | null;

  /** Timed words, as submitted. */
  // anyOf with nullable alternatives: OpenAPI 3.0 has no null type, and nullable needs a type beside it.
  @ApiProperty({
    anyOf: [
      { type: 'array', items: { type: 'object' }, nullable: true },
      { type: 'object', nullable: true },
    ],
    example: [{ word: 'Hello', start: 0.32, end: 0.61 }],
  })
  word_timestamps: unknown;

  /** Free-form metadata. */
  @ApiProperty({ type: Object, additionalProperties: true, nullable: true, example: {} })
  metadata: Record<string, unknown> | null;

  /** When the transcription was recorded. */
  @ApiProperty({ type: String, format: 'date-time', example: '2026-01-20T10:01:00.000Z' })
  created_at: string;
}

/** One page of transcriptions, oldest first. */
export class TranscriptionPageDto {
  /** The transcriptions on this page. */
  @ApiProperty({ type: [TranscriptionResponseDto] })
  items: TranscriptionResponseDto[];

  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true, example: null })
  next_cursor: string | null;
}
