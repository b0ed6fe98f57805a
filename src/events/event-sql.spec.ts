import { eventPageStatement, isAfter } from './event-sql';

describe('isAfter', () => {
  it('orders by tx_id first, then id', () => {
    expect(isAfter({ txId: 2, id: 1 }, { txId: 1, id: 99 })).toBe(true);
    expect(isAfter({ txId: 1, id: 5 }, { txId: 1, id: 4 })).toBe(true);
    expect(isAfter({ txId: 1, id: 4 }, { txId: 1, id: 4 })).toBe(false);
    expect(isAfter({ txId: 1, id: 99 }, { txId: 2, id: 1 })).toBe(false);
  });
});

describe('eventPageStatement', () => {
  it('always reads below the horizon in (tx_id, id) order, with one statement name per filter shape', () => {
    const plain = eventPageStatement({ limit: 10 });
    expect(plain.statement.text).toMatch(/WHERE tx_id < pg_snapshot_xmin\(pg_current_snapshot\(\)\)/);
    expect(plain.statement.text).toMatch(/ORDER BY tx_id, id LIMIT \$1$/);
    expect(plain.values).toEqual([10]);

    const filtered = eventPageStatement({
      jobId: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
      types: ['job.created'],
      after: { txId: 5, id: 6 },
      upTo: { txId: 9, id: 10 },
      limit: 3,
    });
    expect(filtered.statement.name).toBe('job_events.page:job,types,after,upto');
    expect(filtered.statement.text).toContain('(tx_id, id) > ($3::bigint, $4::bigint)');
    expect(filtered.statement.text).toContain('(tx_id, id) <= ($5::bigint, $6::bigint)');
    expect(filtered.values).toEqual(['3fa85f64-5717-4562-b3fc-2c963f66afa6', ['job.created'], 5, 6, 9, 10, 3]);
    expect(eventPageStatement({ jobType: 'video', limit: 1 }).statement.name).toBe('job_events.page:job_type');
  });
});
