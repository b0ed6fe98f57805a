import { Injectable } from '@nestjs/common';
import { columnList } from '../database/entity-columns';
import { JobChildRepository } from '../database/job-child-repository';
import { SqlService } from '../database/sql.service';
import type { AnalysisResultResponseDto } from './dto/analysis-result-response.dto';
import { AnalysisResult } from './analysis-result.entity';
import type { CreateAnalysisResultDto } from './dto/create-analysis-result.dto';

const INSERT = {
  name: 'analysis_results.insert',
  text: `INSERT INTO analysis_results (job_id, analysis_type, summary, detailed_analysis, confidence_score, model_used,
           prompt_used, input_tokens, output_tokens)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9) RETURNING ${columnList(AnalysisResult)}`,
};

/** Repository of `analysis_results` (the document's ResultRepository). */
@Injectable()
export class AnalysisResultsService extends JobChildRepository<AnalysisResultResponseDto> {
  constructor(sql: SqlService) {
    super(sql, AnalysisResult, 'Analysis result', 'analysis_type');
  }

  create(jobId: string, dto: CreateAnalysisResultDto): Promise<AnalysisResultResponseDto> {
    return this.insert(jobId, INSERT, [
      jobId,
      dto.analysis_type,
      dto.summary ?? null,
      dto.detailed_analysis == null ? null : JSON.stringify(dto.detailed_analysis),
      dto.confidence_score ?? null,
      dto.model_used ?? null,
      dto.prompt_used ?? null,
      dto.input_tokens ?? null,
      dto.output_tokens ?? null,
    ]);
  }
}
