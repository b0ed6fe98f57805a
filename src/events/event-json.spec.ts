import { normalizeEventData, toEventResponse } from './event-json';

describe('normalizeEventData', () => {
  it("rewrites the row's timestamp columns from PostgreSQL's JSON form to ISO with milliseconds", () => {
    expect(
      normalizeEventData({
        created_at: '2026-01-20T10:00:00.123456+00:00',
        updated_at: '2026-01-20T10:00:01+00:00',
        started_at: null,
        lease_expires_at: '2026-01-20T12:00:00.5+02:00',
        status: 'pending',
      }),
    ).toEqual({
      created_at: '2026-01-20T10:00:00.123Z',
      updated_at: '2026-01-20T10:00:01.000Z',
      started_at: null,
      lease_expires_at: '2026-01-20T10:00:00.500Z',
      status: 'pending',
    });
  });

  it("leaves nested JSON (the client's own parameters, metadata, result) and other columns as they are", () => {
    const nested = { shot_at: '2026-01-20T10:00:00.123456+00:00' };
    const data = { parameters: nested, prompt: 'taken_at', media_url: '2026-01-20T10:00:00+00:00' };
    expect(normalizeEventData(data)).toEqual(data);
  });

  it('keeps null (job.deleted) null', () => {
    expect(normalizeEventData(null)).toBeNull();
  });
});

describe('toEventResponse', () => {
  it('answers the contract fields only: no tx_id', () => {
    expect(
      toEventResponse({
        id: 7,
        tx_id: 900,
        type: 'job.deleted',
        job_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
        job_type: 'video',
        created_at: new Date('2026-01-20T10:00:00.123Z'),
        data: null,
      }),
    ).toEqual({
      id: 7,
      type: 'job.deleted',
      job_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
      job_type: 'video',
      created_at: '2026-01-20T10:00:00.123Z',
      data: null,
    });
  });
});
