import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCues, type CueLimits, type TimedWord } from './cues';
import { toPlainText, toSrt, toWebVtt } from './formats';
// Independent parsers: what players and tools would read from the output.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const webvtt = require('node-webvtt') as {
  parse(
    text: string,
    options?: { strict?: boolean },
  ): { valid: boolean; cues: { start: number; end: number; text: string }[] };
};
import SrtParser from 'srt-parser-2';

const GOLDEN = join(__dirname, 'golden');
const DEFAULTS: CueLimits = { maxCharsPerLine: 42, maxLines: 2, maxCueSeconds: 7 };

/** Words of a sentence, one every 0.4 s, each 0.3 s long, from `from` seconds. */
const spoken = (text: string, from = 0): TimedWord[] =>
  text.split(' ').map((word, i) => ({ word, start: from + i * 0.4, end: from + i * 0.4 + 0.3 }));

const CASES: Record<string, { words: TimedWord[]; limits?: Partial<CueLimits> }> = {
  'sentences-and-pause': {
    words: [
      ...spoken('Welcome to the quarterly review. We start with the budget for the next year and the hiring plan.'),
      ...spoken('After a long pause the speaker goes on.', 12),
    ],
  },
  'overlapping-words': {
    words: [
      { word: 'two', start: 1.0, end: 1.6 },
      { word: 'speakers', start: 1.2, end: 1.9 },
      { word: 'talk.', start: 1.8, end: 2.2 },
      { word: 'Overlap', start: 2.1, end: 2.6 },
      { word: 'here', start: 0.5, end: 0.9 },
    ],
  },
  gaps: {
    words: [
      { word: 'one', start: 0, end: 0.5 },
      { word: 'two', start: 1.4, end: 1.9 },
      { word: 'three', start: 2.9, end: 3.3 },
      { word: 'four', start: 3333.3335, end: 3334.0015 },
    ],
  },
  'word-longer-than-a-line': {
    words: [
      { word: 'Supercalifragilisticexpialidocious-and-then-some-more-letters', start: 0.25, end: 2.25 },
      { word: 'ok', start: 2.3, end: 2.5 },
    ],
    limits: { maxCharsPerLine: 16, maxLines: 1 },
  },
  unicode: {
    words: spoken('Olá, coração! 日本語のテキスト 👩‍👩‍👧‍👦 family e\u0301te\u0301 naïve café über straße', 0.001),
    limits: { maxCharsPerLine: 16 },
  },
  'markup-and-arrows': {
    words: spoken('a <b>bold</b> claim --> x < y & z ---> done <i>'),
  },
  'single-word': { words: [{ word: 'Hello', start: 3661.0005, end: 3662 }] },
  'empty-array': { words: [] },
  'line-and-duration-limits': {
    words: spoken('one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen'),
    limits: { maxCharsPerLine: 16, maxLines: 3, maxCueSeconds: 2 },
  },
};

function render(name: string) {
  const { words, limits } = CASES[name];
  const cues = buildCues(words, { ...DEFAULTS, ...limits });
  return { cues, vtt: toWebVtt(cues), srt: toSrt(cues), txt: toPlainText(cues) };
}

describe.each(Object.keys(CASES))('captions: %s', (name) => {
  const output = render(name);

  it.each(['vtt', 'srt', 'txt'] as const)('matches golden/%s', (format) => {
    const file = join(GOLDEN, `${name}.${format}`);
    // UPDATE_GOLDEN=1 rewrites the files (review the diff); otherwise a missing file fails.
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, output[format]);
    expect(existsSync(file)).toBe(true);
    expect(output[format]).toBe(readFileSync(file, 'utf8'));
  });

  it('parses as strict WebVTT with the same cues, times and text', () => {
    const parsed = webvtt.parse(output.vtt, { strict: true });
    expect(parsed.valid).toBe(true);
    expect(parsed.cues.map((cue) => [Math.round(cue.start * 1000), Math.round(cue.end * 1000)])).toEqual(
      output.cues.map((cue) => [cue.startMs, cue.endMs]),
    );
    const decode = (text: string) => text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
    expect(parsed.cues.map((cue) => decode(cue.text))).toEqual(output.cues.map((cue) => cue.lines.join('\n')));
  });

  it('parses as SubRip with the same cues and times', () => {
    const parsed = new SrtParser().fromSrt(output.srt);
    expect(
      parsed.map((cue) => [cue.id, Math.round(cue.startSeconds * 1000), Math.round(cue.endSeconds * 1000)]),
    ).toEqual(output.cues.map((cue, index) => [String(index + 1), cue.startMs, cue.endMs]));
    expect(parsed.map((cue) => cue.text.split('\n').length)).toEqual(output.cues.map((cue) => cue.lines.length));
  });
});
