import { matchSpans, MAX_MATCH_SPANS, positiveUnits, type MatchedWord } from './match-spans';

const timed = (words: string[]) => words.map((_, index) => ({ start: index, end: index + 0.5 }));

/** The MatchedWord rows search-sql.ts would return for these words and their vectors. */
function matched(words: string[], vectors: Record<number, string>): MatchedWord[] {
  const times = timed(words);
  return Object.entries(vectors).map(([index, vector]) => ({ index: Number(index), vector, ...times[Number(index)] }));
}

describe('positiveUnits', () => {
  it('reads terms, phrases with distances, and leaves negations out', () => {
    expect(positiveUnits(`'fox' <3> 'box' | 'dog' & !'cat' & 'self-driv' <-> 'self' <-> 'drive'`)).toEqual([
      [
        { lexeme: 'fox', offset: 0 },
        { lexeme: 'box', offset: 3 },
      ],
      [{ lexeme: 'dog', offset: 0 }],
      [
        { lexeme: 'self-driv', offset: 0 },
        { lexeme: 'self', offset: 1 },
        { lexeme: 'drive', offset: 2 },
      ],
    ]);
  });

  it('skips a negated group and unquotes lexemes', () => {
    expect(positiveUnits(`!( 'a' <-> 'b' ) & 'o''reilli'`)).toEqual([[{ lexeme: "o'reilli", offset: 0 }]]);
    expect(positiveUnits('')).toEqual([]);
  });
});

describe('matchSpans', () => {
  const words = ['the', 'quick', 'fox', 'jumps', 'in', 'the', 'box', 'quick', 'dog'];

  it('gives one span per matched term, in time order', () => {
    const spans = matchSpans(
      [[{ lexeme: 'quick', offset: 0 }]],
      matched(words, { 1: `'quick':1`, 7: `'quick':1` }),
      words,
    );
    expect(spans).toEqual([
      { start: 1, end: 1.5, text: 'quick' },
      { start: 7, end: 7.5, text: 'quick' },
    ]);
  });

  it('gives a phrase one span from its first word to its last, stop words included', () => {
    const units = positiveUnits(`'fox' <4> 'box'`);
    const spans = matchSpans(units, matched(words, { 2: `'fox':1`, 6: `'box':1` }), words);
    expect(spans).toEqual([{ start: 2, end: 6.5, text: 'fox jumps in the box' }]);
  });

  it('does not match a phrase whose words are not in order and at the right distance', () => {
    const units = positiveUnits(`'quick' <-> 'dog'`);
    expect(matchSpans(units, matched(words, { 1: `'quick':1`, 7: `'quick':1`, 8: `'dog':1` }), words)).toEqual([
      { start: 7, end: 8.5, text: 'quick dog' },
    ]);
    expect(matchSpans(units, matched(words, { 1: `'quick':1` }), words)).toEqual([]);
  });

  it('counts the tokens inside a hyphenated word as PostgreSQL does', () => {
    const text = ['a', 'self-driving', 'car'];
    const units = positiveUnits(`'self-driv' <-> 'self' <-> 'drive'`);
    expect(matchSpans(units, matched(text, { 1: `'drive':3 'self':2 'self-driv':1` }), text)).toEqual([
      { start: 1, end: 1.5, text: 'self-driving' },
    ]);
  });

  it(`stops at ${MAX_MATCH_SPANS} spans`, () => {
    const many = Array.from({ length: 50 }, () => 'echo');
    const vectors = Object.fromEntries(many.map((_, index) => [index, `'echo':1`]));
    const spans = matchSpans([[{ lexeme: 'echo', offset: 0 }]], matched(many, vectors), many);
    expect(spans).toHaveLength(MAX_MATCH_SPANS);
    expect(spans[19].start).toBe(19);
  });
});
