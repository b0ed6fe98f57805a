import { Injectable } from '@nestjs/common';
import { JobChildRepository } from '../database/job-child-repository';
import type { CreateAnalysisResultDto } from './dto/create-analysis-result.dto';
import type { AnalysisResultResponseDto } from './dto/analysis-result-response.dto';
import { AnalysisResult } from './analysis-result.entity';

/** Repository of `analysis_results` (the design document's ResultRepository). */
@Injectable()
export class AnalysisResultsRepository extends JobChildRepository.of<
  AnalysisResultResponseDto,
  CreateAnalysisResultDto
>(AnalysisResult, 'Analysis result', 'analysis_type') {}
