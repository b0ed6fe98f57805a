import { Injectable } from '@nestjs/common';
import { columnList } from '../database/entity-columns';
import { JobChildRepository } from '../database/job-child-repository';
import { SqlService } from '../database/sql.service';
import { Transcription } from './transcription.entity';
import type { CreateTranscriptionDto } from './dto/create-transcription.dto';
import type { TranscriptionResponseDto } from './dto/transcription-response.dto';

const INSERT = {
  name: 'transcriptions.insert',
  text: `INSERT INTO transcriptions (job_id, provider, text_content, language, confidence_score, word_timestamps, metadata)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb) RETURNING ${columnList(Transcription)}`,
};

/** Repository of `transcriptions`. */
@Injectable()
export class TranscriptionsService extends JobChildRepository<TranscriptionResponseDto> {
  constructor(sql: SqlService) {
    super(sql, Transcription, 'Transcription', 'provider');
  }

  create(jobId: string, dto: CreateTranscriptionDto): Promise<TranscriptionResponseDto> {
    return this.insert(jobId, INSERT, [
      jobId,
      dto.provider,
      dto.text_content,
      dto.language ?? null,
      dto.confidence_score ?? null,
      dto.word_timestamps == null ? null : JSON.stringify(dto.word_timestamps),
      JSON.stringify(dto.metadata ?? {}),
    ]);
  }
}
