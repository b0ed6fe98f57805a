import { ApiProperty } from '@nestjs/swagger';
import { AnalysisResultResponseDto } from '../../analysis-results/dto/analysis-result-response.dto';
import { MediaAssetResponseDto } from '../../media-assets/dto/media-asset-response.dto';
import { TranscriptionResponseDto } from '../../transcriptions/dto/transcription-response.dto';
import { JobResponseDto } from './job-response.dto';

/** A job with everything produced for it, each list oldest first. */
export class JobDetailResponseDto extends JobResponseDto {
  /** Media assets of the job. */
  @ApiProperty({ type: [MediaAssetResponseDto] })
  assets: MediaAssetResponseDto[];

  /** Transcriptions of the job. */
  @ApiProperty({ type: [TranscriptionResponseDto] })
  transcriptions: TranscriptionResponseDto[];

  /** Analysis results of the job. */
  @ApiProperty({ type: [AnalysisResultResponseDto] })
  analysis_results: AnalysisResultResponseDto[];
}
