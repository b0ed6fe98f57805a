import { Injectable } from '@nestjs/common';
import { NotFoundError, UnprocessableError } from '../common/errors';
import { SqlService, type Statement } from '../database/sql.service';
import { wordTimestampsProblem } from '../transcriptions/word-timestamps';
import { buildCues, type TimedWord } from './cues';
import type { CaptionsQueryDto } from './dto/captions-query.dto';
import { toPlainText, toSrt, toWebVtt, type CaptionFormat } from './formats';

const FIND: Statement = {
  name: 'captions.findTranscription',
  text: `SELECT text_content, CASE WHEN jsonb_typeof(word_timestamps) = 'array' THEN word_timestamps END AS words
         FROM transcriptions WHERE id = $1`,
};

export const CAPTION_DEFAULTS = { format: 'vtt', max_chars_per_line: 42, max_lines: 2, max_cue_seconds: 7 } as const;

/** Captions of a transcription, built from its word-timestamp array. */
@Injectable()
export class CaptionsService {
  constructor(private readonly sql: SqlService) {}

  async render(id: string, query: CaptionsQueryDto): Promise<{ format: CaptionFormat; body: string }> {
    const format = query.format ?? CAPTION_DEFAULTS.format;
    const [row] = await this.sql.query<{ text_content: string; words: TimedWord[] | null }>(FIND, [id]);
    if (!row) throw new NotFoundError('Transcription', id);
    if (!row.words) {
      if (format === 'txt') return { format, body: row.text_content };
      throw new UnprocessableError(
        `Transcription ${id} has no word_timestamps array; ${format} captions need timed words (format=txt gives its text)`,
      );
    }
    // The API validates timed words on the way in; a row written by plain SQL may not be.
    const problem = wordTimestampsProblem(row.words);
    if (problem) throw new UnprocessableError(`Transcription ${id} has unusable word timestamps: ${problem}`);
    const cues = buildCues(row.words, {
      maxCharsPerLine: query.max_chars_per_line ?? CAPTION_DEFAULTS.max_chars_per_line,
      maxLines: query.max_lines ?? CAPTION_DEFAULTS.max_lines,
      maxCueSeconds: query.max_cue_seconds ?? CAPTION_DEFAULTS.max_cue_seconds,
    });
    const render = { vtt: toWebVtt, srt: toSrt, txt: toPlainText }[format];
    return { format, body: render(cues) };
  }
}
