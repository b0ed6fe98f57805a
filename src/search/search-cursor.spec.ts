import fc from 'fast-check';
import { decodeSearchCursor, encodeSearchCursor } from './search-cursor';

describe('search cursor', () => {
  it('round-trips what it encodes', () => {
    const cursor = { rank: '0.0607927', kind: 'transcription' as const, id: '5c0a7e2d-8d3b-4f0e-a1c2-7e9b6d5f4a3c' };
    expect(decodeSearchCursor(encodeSearchCursor(cursor))).toEqual(cursor);
    expect(decodeSearchCursor(encodeSearchCursor({ ...cursor, rank: '1e-05', kind: 'analysis_result' }))).toMatchObject(
      {
        rank: '1e-05',
      },
    );
  });

  it('rejects anything else with a 400 naming cursor', () => {
    fc.assert(
      fc.property(fc.string(), (token) => {
        try {
          decodeSearchCursor(token);
        } catch (error) {
          expect((error as { getResponse(): { message: string[] } }).getResponse().message[0]).toMatch(/^cursor /);
        }
      }),
    );
    const bad = (text: string) => Buffer.from(text).toString('base64url');
    const id = '5c0a7e2d-8d3b-4f0e-a1c2-7e9b6d5f4a3c';
    // Ranks a real cannot hold would be a database error, not a 400.
    for (const token of [
      bad(`NaN|transcription|${id}`),
      bad(`1e39|transcription|${id}`),
      bad(`1e-46|transcription|${id}`),
      bad(`${'9'.repeat(40)}|transcription|${id}`),
      bad('0.1|job|x'),
      'x',
    ]) {
      expect(() => decodeSearchCursor(token)).toThrow(/Bad Request/);
    }
  });
});
