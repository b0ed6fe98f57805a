import { Injectable } from '@nestjs/common';
import { JobChildRepository } from '../database/job-child-repository';
import { SqlService } from '../database/sql.service';
import type { CreateTranscriptionDto } from './dto/create-transcription.dto';
import type { TranscriptionResponseDto } from './dto/transcription-response.dto';

/** The columns of a transcription answer, named: a column added later must not change a prepared result. */
const COLUMNS = 'id, job_id, provider, text_content, language, confidence_score, word_timestamps, metadata, created_at';

const INSERT = {
  name: 'transcriptions.insert',
  text: `INSERT INTO transcriptions (job_id, provider, text_content, language, confidence_score, word_timestamps, metadata)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb) RETURNING ${COLUMNS}`,
};

/** Repository of `transcriptions`. */
@Injectable()
export class TranscriptionsService extends JobChildRepository<TranscriptionResponseDto> {
  constructor(sql: SqlService) {
    super(sql, 'transcriptions', COLUMNS, 'Transcription', 'provider');
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
