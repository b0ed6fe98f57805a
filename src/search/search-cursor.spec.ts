import fc from 'fast-check';
import { decodeSearchCursor, encodeSearchCursor, type SearchCursor } from './search-cursor';

describe('search cursor', () => {
  const id = '5c0a7e2d-8d3b-4f0e-a1c2-7e9b6d5f4a3c';
  const low = { createdAt: '1970-01-01T00:00:00.000001Z', id: '3fa85f64-5717-4562-b3fc-2c963f66afa6' };
  const high = { createdAt: '2026-01-20T10:00:00.123456Z', id };
  const cursor: SearchCursor = { rank: '0.0607927', kind: 'transcription', id, window: { low, high, capped: true } };

  it('round-trips what it encodes, with or without a lower bound of the window, in under 200 characters', () => {
    const decoded = decodeSearchCursor(encodeSearchCursor(cursor));
    expect(decoded).toEqual({ ...cursor, rank: expect.any(String) });
    // The same real for PostgreSQL: a float32.
    expect(Math.fround(Number(decoded.rank))).toBe(Math.fround(0.0607927));
    const uncapped = { ...cursor, window: { low, high, capped: false } };
    expect(decodeSearchCursor(encodeSearchCursor(uncapped))).toEqual({ ...uncapped, rank: decoded.rank });
    const open = { ...cursor, rank: '0', kind: 'analysis_result' as const, window: { high } };
    expect(decodeSearchCursor(encodeSearchCursor(open))).toEqual(open);
    const before = { ...open, window: { high: { createdAt: '0001-01-01T00:00:00.000000Z', id } } };
    expect(decodeSearchCursor(encodeSearchCursor(before))).toEqual(before);
    expect(encodeSearchCursor(cursor).length).toBeLessThan(200);
  });

  it('rejects anything else with a 400 naming cursor', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString('base64url')),
        ),
        (token) => {
          try {
            decodeSearchCursor(token);
          } catch (error) {
            expect((error as { getResponse(): { message: string[] } }).getResponse().message[0]).toMatch(/^cursor /);
          }
        },
      ),
    );
    const valid = Buffer.from(encodeSearchCursor(cursor), 'base64url');
    const changed = (offset: number, write: (bytes: Buffer) => void) => {
      const bytes = Buffer.from(valid);
      write(bytes.subarray(offset));
      return bytes.toString('base64url');
    };
    for (const token of [
      'x',
      encodeSearchCursor(cursor) + 'A', // not canonical
      valid.subarray(0, valid.length - 24).toString('base64url'), // says it has a lower bound, has none
      changed(0, (b) => b.writeUInt8(4)), // capped without a lower bound
      changed(0, (b) => b.writeUInt8(8)), // no such kind
      valid.subarray(0, valid.length - 24).toString('base64url'),
      // Ranks a real cannot hold would be a database error, not a 400.
      changed(1, (b) => b.writeFloatBE(NaN)),
      changed(1, (b) => b.writeFloatBE(Infinity)),
      changed(1, (b) => b.writeFloatBE(-1)),
      changed(1, (b) => b.writeFloatBE(1e-40)),
      // Instants outside years 1 to 9999.
      changed(21, (b) => b.writeBigInt64BE(-62_135_596_800_000_001n)),
      changed(45, (b) => b.writeBigInt64BE(253_402_300_800_000_000n)),
    ]) {
      expect(() => decodeSearchCursor(token)).toThrow(/Bad Request/);
    }
  });
});
