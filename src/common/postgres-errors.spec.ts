import { HttpStatus } from '@nestjs/common';
import { httpStatusForPostgresError, isConnectionError, isPostgresError } from './postgres-errors';

describe('PostgreSQL error mapping (by SQLSTATE, never by message text)', () => {
  it.each([
    ['23505', HttpStatus.CONFLICT],
    ['23503', HttpStatus.NOT_FOUND],
    ['23514', HttpStatus.BAD_REQUEST],
    ['23502', HttpStatus.BAD_REQUEST],
    ['22P02', HttpStatus.BAD_REQUEST],
    ['22001', HttpStatus.BAD_REQUEST],
    ['22P05', HttpStatus.BAD_REQUEST],
    ['22008', HttpStatus.BAD_REQUEST],
    ['57014', HttpStatus.SERVICE_UNAVAILABLE],
  ])('maps %s to %s', (code, status) => {
    expect(httpStatusForPostgresError({ code })?.status).toBe(status);
  });

  it('leaves server-side faults unmapped (they become a plain 500)', () => {
    expect(httpStatusForPostgresError({ code: '42P01' })).toBeUndefined();
    expect(httpStatusForPostgresError({ code: 'XX000' })).toBeUndefined();
  });

  it('names the constraint, not the SQL', () => {
    expect(httpStatusForPostgresError({ code: '23505', constraint: 'idx_jobs_idempotency_key' })?.message).toContain(
      'idx_jobs_idempotency_key',
    );
  });

  it('recognises connection failures from sockets and from the server', () => {
    expect(isConnectionError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isConnectionError({ code: '57P01' })).toBe(true);
    expect(isConnectionError({ code: '08006' })).toBe(true);
    expect(isConnectionError({ code: '23505' })).toBe(false);
    expect(isConnectionError(new Error('boom'))).toBe(false);
  });

  it('tells a PostgreSQL error from other errors', () => {
    expect(isPostgresError({ code: '23505' })).toBe(true);
    expect(isPostgresError({ code: 'ECONNREFUSED' })).toBe(false);
    expect(isPostgresError(null)).toBe(false);
  });
});
