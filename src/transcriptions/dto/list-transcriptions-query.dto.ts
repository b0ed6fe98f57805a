import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CreatedRangeQueryDto } from '../../common/pagination';
import { TRANSCRIPTION_PROVIDERS, type TranscriptionProvider } from './create-transcription.dto';

/** Query of GET /api/jobs/{id}/transcriptions. */
export class ListTranscriptionsQueryDto extends CreatedRangeQueryDto {
  /** Only transcriptions from this provider. */
  @ApiProperty({ required: false, enum: TRANSCRIPTION_PROVIDERS, example: 'deepgram' })
  @IsOptional()
  @IsIn(TRANSCRIPTION_PROVIDERS, { message: `provider must be one of: ${TRANSCRIPTION_PROVIDERS.join(', ')}` })
  provider?: TranscriptionProvider;
}
