import { keysetStatement } from './keyset';

describe('keysetStatement', () => {
  const cursor = { createdAt: '2026-01-20T10:00:00.123456Z', id: '3fa85f64-5717-4562-b3fc-2c963f66afa6' };

  it('binds every value as a parameter and fetches one row more than the page', () => {
    const { statement, values } = keysetStatement('jobs', 'id', {
      equals: [
        ['job_type', 'video'],
        ['status', undefined],
      ],
      createdAfter: '2026-01-01T00:00:00Z',
      cursor,
      limit: 20,
      order: 'desc',
    });
    expect(values).toEqual(['video', '2026-01-01T00:00:00Z', cursor.createdAt, cursor.id, 21]);
    expect(statement.text).toContain('job_type = $1');
    expect(statement.text).not.toContain('status =');
    expect(statement.text).toContain('(created_at, id) < ($3::timestamptz, $4::uuid)');
    expect(statement.text).toMatch(/ORDER BY created_at DESC, id DESC LIMIT \$5$/);
  });

  it('pages oldest first with > for ascending order', () => {
    const { statement } = keysetStatement('media_assets', '*', {
      equals: [['job_id', 'x']],
      cursor,
      limit: 5,
      order: 'asc',
    });
    expect(statement.text).toContain('(created_at, id) > (');
    expect(statement.text).toContain('ORDER BY created_at ASC, id ASC');
  });

  it('names each filter shape differently so prepared statements never collide', () => {
    const names = new Set(
      [
        { equals: [] as [string, unknown][], limit: 1, order: 'desc' as const },
        { equals: [['status', 'pending']] as [string, unknown][], limit: 1, order: 'desc' as const },
        { equals: [['status', 'pending']] as [string, unknown][], cursor, limit: 1, order: 'desc' as const },
        { equals: [['job_type', 'audio']] as [string, unknown][], limit: 1, order: 'desc' as const },
      ].map((query) => keysetStatement('jobs', 'id', query).statement.name),
    );
    expect(names.size).toBe(4);
  });
});
