/** A lexeme of a phrase and its distance in words from the phrase's first lexeme. */
export interface PhraseTerm {
  lexeme: string;
  offset: number;
}

/** A word of the word-timestamp array that holds a query lexeme, as search-sql.ts returns it. */
export interface MatchedWord {
  /** Index in the word-timestamp array. */
  index: number;
  /** to_tsvector of the word, as PostgreSQL writes it ('lexeme':1,2 …). */
  vector: string;
  start: number;
  end: number;
}

/** Where the query matched, in seconds of the media. */
export interface MatchSpan {
  start: number;
  end: number;
  text: string;
}

export const MAX_MATCH_SPANS = 20;

const TSQUERY_TOKEN = /'((?:[^']|'')*)'(?::[*A-D]+)?|<(-|\d+)>|[&|!()]/g;
const TSVECTOR_ENTRY = /'((?:[^']|'')*)'(?::([\d,A-D]+))?/g;

const unquote = (text: string) => text.replaceAll("''", "'").replaceAll('\\\\', '\\');

/**
 * The positive parts of a tsquery (its text form): each term alone, and each phrase
 * (`'a' <-> 'b' <2> 'c'`) as one unit; negated terms and groups (`!'x'`, `!( … )`) are left
 * out, since nothing matched them.
 */
export function positiveUnits(tsquery: string): PhraseTerm[][] {
  const units: PhraseTerm[][] = [];
  let chain: PhraseTerm[] | undefined;
  let pendingDistance: number | undefined;
  let negated = false;
  let skipDepth = 0;
  for (const match of tsquery.matchAll(TSQUERY_TOKEN)) {
    const [token, quoted, distance] = match;
    if (skipDepth > 0) {
      if (token === '(') skipDepth++;
      else if (token === ')') skipDepth--;
      continue;
    }
    if (quoted !== undefined) {
      if (negated) {
        negated = false;
        chain = undefined;
        continue;
      }
      if (chain && pendingDistance !== undefined) {
        chain.push({ lexeme: unquote(quoted), offset: chain[chain.length - 1].offset + pendingDistance });
      } else {
        chain = [{ lexeme: unquote(quoted), offset: 0 }];
        units.push(chain);
      }
      pendingDistance = undefined;
    } else if (distance !== undefined) {
      pendingDistance = distance === '-' ? 1 : Number(distance);
    } else if (token === '!') {
      negated = true;
    } else if (token === '(' && negated) {
      negated = false;
      skipDepth = 1;
      chain = undefined;
    } else {
      chain = undefined;
      pendingDistance = undefined;
    }
  }
  return units;
}

/** Lexemes of a tsvector's text form with their positions (1-based). */
function vectorEntries(vector: string): [lexeme: string, positions: number[]][] {
  return [...vector.matchAll(TSVECTOR_ENTRY)].map(([, lexeme, positions]) => [
    unquote(lexeme),
    (positions ?? '1').split(',').map((position) => Number.parseInt(position, 10)),
  ]);
}

/**
 * Time spans where the query's positive units matched: one span per matched term, and one
 * per matched phrase from its first word's start to its last word's end. Positions count one
 * per word of the array, plus the extra tokens inside a word ("self-driving" is three), which
 * is how PostgreSQL numbers a phrase's words. At most MAX_MATCH_SPANS, in time order.
 */
export function matchSpans(units: PhraseTerm[][], matched: MatchedWord[], words: string[]): MatchSpan[] {
  const lexemesAt = new Map<number, Set<string>>();
  const wordAt = new Map<number, MatchedWord>();
  for (const word of matched) {
    for (const [lexeme, positions] of vectorEntries(word.vector)) {
      for (const position of positions) {
        const at = word.index + position - 1;
        if (!lexemesAt.has(at)) lexemesAt.set(at, new Set());
        lexemesAt.get(at)?.add(lexeme);
        if (!wordAt.has(at)) wordAt.set(at, word);
      }
    }
  }
  const spans = new Map<string, { first: MatchedWord; last: MatchedWord }>();
  for (const unit of units) {
    const [head] = unit;
    const tail = unit[unit.length - 1];
    for (const [at, lexemes] of lexemesAt) {
      if (!lexemes.has(head.lexeme)) continue;
      if (!unit.every((term) => lexemesAt.get(at + term.offset)?.has(term.lexeme))) continue;
      const first = wordAt.get(at) as MatchedWord;
      const last = wordAt.get(at + tail.offset) as MatchedWord;
      spans.set(`${first.index}:${last.index}`, { first, last });
    }
  }
  return [...spans.values()]
    .sort((a, b) => a.first.start - b.first.start || a.last.end - b.last.end || a.first.index - b.first.index)
    .slice(0, MAX_MATCH_SPANS)
    .map(({ first, last }) => ({
      start: first.start,
      end: Math.max(first.end, last.end),
      text: words.slice(first.index, last.index + 1).join(' '),
    }));
}
