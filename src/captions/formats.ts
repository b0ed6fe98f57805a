import type { Cue } from './cues';

export const CAPTION_FORMATS = ['vtt', 'srt', 'txt'] as const;
export type CaptionFormat = (typeof CAPTION_FORMATS)[number];

export const CAPTION_MEDIA_TYPES: Record<CaptionFormat, string> = {
  vtt: 'text/vtt',
  srt: 'application/x-subrip',
  txt: 'text/plain',
};

/** hh:mm:ss<separator>mmm; hours keep growing past 99. */
function timestamp(ms: number, separator: '.' | ','): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor(ms / 60_000) % 60;
  const seconds = Math.floor(ms / 1000) % 60;
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}${separator}${pad(ms % 1000, 3)}`;
}

/** WebVTT cue text: &, < and > as character references, so no text can open a tag or write "-->". */
function vttText(line: string): string {
  return line.replace(/[&<>]/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[character] as string);
}

/**
 * SubRip has no escapes: players read <i>, <b>, <u> and <font> as formatting and a line with
 * "-->" as a timing line. So '<' becomes '‹' and any run of dashes before '>' a single "->".
 */
function srtText(line: string): string {
  return line.replace(/-{2,}>/g, '->').replaceAll('<', '‹');
}

export function toWebVtt(cues: Cue[]): string {
  const blocks = cues.map(
    (cue) => `${timestamp(cue.startMs, '.')} --> ${timestamp(cue.endMs, '.')}\n${cue.lines.map(vttText).join('\n')}\n`,
  );
  return ['WEBVTT\n', ...blocks].join('\n');
}

export function toSrt(cues: Cue[]): string {
  return cues
    .map(
      (cue, index) =>
        `${index + 1}\n${timestamp(cue.startMs, ',')} --> ${timestamp(cue.endMs, ',')}\n${cue.lines.map(srtText).join('\n')}\n`,
    )
    .join('\n');
}

/** Plain text: each cue's lines, a blank line between cues. */
export function toPlainText(cues: Cue[]): string {
  return cues.map((cue) => `${cue.lines.join('\n')}\n`).join('\n');
}
