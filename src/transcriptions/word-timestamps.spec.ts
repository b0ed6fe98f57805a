import { wordTimestampsProblem } from './word-timestamps';

describe('wordTimestampsProblem', () => {
  it('accepts a list of timed words and any object', () => {
    expect(
      wordTimestampsProblem([
        { word: 'hi', start: 0, end: 0.4, confidence: 0.9 },
        { word: 'there', start: 0.4, end: 0.9 },
      ]),
    ).toBeUndefined();
    expect(wordTimestampsProblem({ provider_format: { words: [] } })).toBeUndefined();
    expect(wordTimestampsProblem([])).toBeUndefined();
  });

  it('names the entry and the field that is wrong', () => {
    expect(wordTimestampsProblem([{ word: 'hi', start: 'zero', end: 1 }])).toMatch(/word_timestamps\[0\]\.start/);
    expect(
      wordTimestampsProblem([
        { word: 'a', start: 0, end: 1 },
        { word: 'b', start: 2, end: 1 },
      ]),
    ).toMatch(/word_timestamps\[1\]\.end/);
    expect(wordTimestampsProblem([{ word: 'a', start: 0, end: 1, confidence: 2 }])).toMatch(/confidence/);
    expect(wordTimestampsProblem([{ word: 'a', start: 0, end: 1, speaker: 1 }])).toMatch(/speaker is not allowed/);
    expect(wordTimestampsProblem('words')).toMatch(/word_timestamps must be/);
  });
});
