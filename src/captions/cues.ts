/** A timed word as stored in `word_timestamps` (seconds). */
export interface TimedWord {
  word: string;
  start: number;
  end: number;
}

/** A caption cue: times in whole milliseconds, one to `maxLines` lines. */
export interface Cue {
  startMs: number;
  endMs: number;
  lines: string[];
}

export interface CueLimits {
  maxCharsPerLine: number;
  maxLines: number;
  maxCueSeconds: number;
}

/** A silence at least this long between two words ends the cue. */
export const PAUSE_SECONDS = 1;

/** A word that ends a sentence: . ! ? … (and their CJK forms), possibly inside closing quotes or brackets. */
const SENTENCE_END = /[.!?…。！？]["'”’»)\]]*$/u;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Length as people count it (grapheme clusters): an emoji or an accented letter is one. */
function displayLength(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

/**
 * A word longer than a line, cut into line-sized pieces (never inside a grapheme); each piece
 * gets its share of the word's time, so the pieces can go to separate cues.
 */
function pieces(word: TimedWord, maxChars: number): TimedWord[] {
  const parts: string[] = [];
  let current = '';
  let length = 0;
  for (const { segment } of graphemes.segment(word.word)) {
    if (length === maxChars) {
      parts.push(current);
      current = '';
      length = 0;
    }
    current += segment;
    length++;
  }
  parts.push(current);
  if (parts.length === 1) return [word];
  const share = (word.end - word.start) / parts.length;
  return parts.map((part, index) => ({
    word: part,
    start: word.start + share * index,
    end: index === parts.length - 1 ? word.end : word.start + share * (index + 1),
  }));
}

const toMs = (seconds: number) => Math.round(seconds * 1000);

/**
 * Groups timed words into cues. A cue ends after a word that ends a sentence, before a pause
 * of PAUSE_SECONDS or more, and before the word that would make it longer than
 * `maxCueSeconds` or need more than `maxLines` lines of `maxCharsPerLine` characters. Words
 * are taken in time order (a stable sort: equal starts keep their order); blank words are
 * skipped and whitespace inside a word becomes one space. A cue starts at its first word's
 * start and ends at its last word's end, cut back to the next cue's start when words overlap,
 * so cues never overlap.
 */
export function buildCues(words: TimedWord[], limits: CueLimits): Cue[] {
  const ordered = words
    .map((word) => ({ ...word, word: word.word.replace(/\s+/gu, ' ').trim() }))
    .filter((word) => word.word.length > 0)
    .sort((a, b) => a.start - b.start)
    .flatMap((word) => pieces(word, limits.maxCharsPerLine));

  const cues: { start: number; end: number; lines: string[] }[] = [];
  let cue: { start: number; end: number; lines: string[] } | undefined;
  let previous: TimedWord | undefined;
  for (const word of ordered) {
    if (cue && previous) {
      const pause = word.start - previous.end >= PAUSE_SECONDS;
      const tooLong = word.end - cue.start > limits.maxCueSeconds;
      const lastLine = cue.lines[cue.lines.length - 1];
      const fitsLine = displayLength(lastLine) + 1 + displayLength(word.word) <= limits.maxCharsPerLine;
      const roomForLine = cue.lines.length < limits.maxLines;
      if (pause || tooLong || (!fitsLine && !roomForLine)) {
        cue = undefined;
      } else if (fitsLine) {
        cue.lines[cue.lines.length - 1] = `${lastLine} ${word.word}`;
      } else {
        cue.lines.push(word.word);
      }
      if (cue) cue.end = Math.max(cue.end, word.end);
    }
    if (!cue) {
      cue = { start: word.start, end: word.end, lines: [word.word] };
      cues.push(cue);
    }
    previous = word;
    if (SENTENCE_END.test(word.word)) cue = undefined;
  }
  return cues.map((current, index) => {
    const startMs = toMs(current.start);
    const next = cues[index + 1];
    const endMs = Math.max(startMs, Math.min(toMs(current.end), next ? toMs(next.start) : Infinity));
    return { startMs, endMs, lines: current.lines };
  });
}
