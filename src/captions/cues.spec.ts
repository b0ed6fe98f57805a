import fc from 'fast-check';
import { buildCues, PAUSE_SECONDS, type CueLimits } from './cues';

const LIMITS: CueLimits = { maxCharsPerLine: 20, maxLines: 2, maxCueSeconds: 5 };
const graphemeCount = (text: string) =>
  [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].length;

describe('buildCues', () => {
  it('breaks after a sentence end and before a long pause', () => {
    const cues = buildCues(
      [
        { word: 'Done.', start: 0, end: 0.5 },
        { word: 'Next', start: 0.6, end: 1 },
        { word: 'after', start: 1 + PAUSE_SECONDS, end: 2.5 + PAUSE_SECONDS },
      ],
      LIMITS,
    );
    expect(cues.map((cue) => cue.lines)).toEqual([['Done.'], ['Next'], ['after']]);
  });

  it('starts a cue at its first word to the millisecond and never overlaps the next', () => {
    const cues = buildCues(
      [
        { word: 'a.', start: 1.0005, end: 2.5 },
        { word: 'b', start: 2.0014, end: 3 },
      ],
      LIMITS,
    );
    expect(cues).toEqual([
      { startMs: 1001, endMs: 2001, lines: ['a.'] },
      { startMs: 2001, endMs: 3000, lines: ['b'] },
    ]);
  });

  it('respects the limits for any words (property)', () => {
    const word = fc.record({
      word: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
      start: fc.double({ min: 0, max: 100, noNaN: true }),
      length: fc.double({ min: 0, max: 3, noNaN: true }),
    });
    const limits = fc.record({
      maxCharsPerLine: fc.integer({ min: 16, max: 100 }),
      maxLines: fc.integer({ min: 1, max: 3 }),
      maxCueSeconds: fc.integer({ min: 1, max: 20 }),
    });
    fc.assert(
      fc.property(fc.array(word, { maxLength: 60 }), limits, (raw, chosen) => {
        const words = raw.map(({ word: text, start, length }) => ({ word: text, start, end: start + length }));
        const cues = buildCues(words, chosen);
        for (const [index, cue] of cues.entries()) {
          expect(cue.lines.length).toBeGreaterThanOrEqual(1);
          expect(cue.lines.length).toBeLessThanOrEqual(chosen.maxLines);
          for (const line of cue.lines) {
            expect(graphemeCount(line)).toBeLessThanOrEqual(chosen.maxCharsPerLine);
            expect(line).toBe(line.trim());
            expect(line.length).toBeGreaterThan(0);
          }
          expect(cue.endMs).toBeGreaterThanOrEqual(cue.startMs);
          const next = cues[index + 1];
          if (next) expect(next.startMs).toBeGreaterThanOrEqual(cue.endMs);
        }
      }),
    );
  });
});
