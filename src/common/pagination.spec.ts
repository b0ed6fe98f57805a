import { InvalidInputError } from './errors';
import { decodeCursor, encodeCursor, toPage } from './pagination';

describe('cursor', () => {
  const cursor = { createdAt: '2026-01-20T10:00:00.123456Z', id: '3fa85f64-5717-4562-b3fc-2c963f66afa6' };

  it('round-trips through its opaque form', () => {
    const token = encodeCursor(cursor);
    expect(token).not.toContain(cursor.id);
    expect(decodeCursor(token)).toEqual(cursor);
  });

  it.each([
    '',
    'garbage',
    Buffer.from('2026-01-20|not-a-uuid').toString('base64url'),
    Buffer.from(`x|${cursor.id}`).toString('base64url'),
  ])('rejects %p with a domain error naming cursor (a 400 through the filter)', (token) => {
    expect(() => decodeCursor(token)).toThrow(InvalidInputError);
    try {
      decodeCursor(token);
    } catch (error) {
      expect((error as InvalidInputError).problems).toEqual([
        'cursor is not a valid cursor (use next_cursor from a previous page)',
      ]);
    }
  });
});

describe('toPage', () => {
  const rows = [1, 2, 3].map((n) => ({
    id: `00000000-0000-4000-8000-00000000000${n}`,
    cursor_at: `2026-01-20T10:00:0${n}.000000Z`,
    n,
  }));

  it('returns a next cursor pointing after the last item when an extra row was fetched', () => {
    const page = toPage(rows, 2);
    expect(page.items.map((item) => (item as unknown as { n: number }).n)).toEqual([1, 2]);
    expect(page.items[0]).toBe(rows[0]); // answered as fetched: the serializer drops cursor_at
    expect(decodeCursor(page.next_cursor!)).toEqual({ createdAt: rows[1].cursor_at, id: rows[1].id });
  });

  it('returns a null cursor on the last page', () => {
    expect(toPage(rows, 3).next_cursor).toBeNull();
    expect(toPage([], 20)).toEqual({ items: [], next_cursor: null });
  });
});
