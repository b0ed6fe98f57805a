import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { NumberFromQuery } from '../../common/validation';
import { CAPTION_FORMATS, type CaptionFormat } from '../formats';

/** Query of GET /api/transcriptions/{id}/captions. */
export class CaptionsQueryDto {
  /** vtt (WebVTT), srt (SubRip) or txt (plain text). */
  @ApiProperty({ required: false, enum: CAPTION_FORMATS, default: 'vtt', example: 'vtt' })
  @IsOptional()
  @IsIn(CAPTION_FORMATS, { message: `format must be one of: ${CAPTION_FORMATS.join(', ')}` })
  format?: CaptionFormat;

  /** Characters per line, 16 to 100. */
  @ApiProperty({ type: 'integer', required: false, minimum: 16, maximum: 100, default: 42, example: 42 })
  @IsOptional()
  @NumberFromQuery()
  @IsInt()
  @Min(16)
  @Max(100)
  max_chars_per_line?: number;

  /** Lines per cue, 1 to 3. */
  @ApiProperty({ type: 'integer', required: false, minimum: 1, maximum: 3, default: 2, example: 2 })
  @IsOptional()
  @NumberFromQuery()
  @IsInt()
  @Min(1)
  @Max(3)
  max_lines?: number;

  /** Longest cue, in seconds, 1 to 20. */
  @ApiProperty({ required: false, minimum: 1, maximum: 20, default: 7, example: 7 })
  @IsOptional()
  @NumberFromQuery()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(20)
  max_cue_seconds?: number;
}
