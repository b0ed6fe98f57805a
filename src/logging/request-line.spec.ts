import { Writable } from 'node:stream';
import pinoHttp from 'pino-http';
import { pinoOptions } from './logging.module';
import { REQUEST_COMPLETED, requestLineWriter, type RequestOutcome } from './request-line';

/** A pino-http logger with the service's options, writing into an array of lines. */
function serviceLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  // pino writes to a plain stream synchronously: each call's line is in `lines` when it returns.
  const { logger } = pinoHttp(pinoOptions({ LOG_LEVEL: 'info', NODE_ENV: 'production' }), sink);
  return { logger, lines };
}

const OUTCOMES: RequestOutcome[] = [
  {
    reqId: '0bb5ec5d-b2bb-4822-8ca1-e0bffe4a2281',
    method: 'POST',
    url: '/api/media/video',
    route: '/api/media/video',
    statusCode: 201,
    responseTime: 3.21,
  },
  { reqId: 'a"b\\c', method: 'GET', url: '/nowhere?q="x"&y=\\', route: null, statusCode: 404, responseTime: 0 },
  {
    reqId: 'client-chosen-id',
    method: 'GET',
    url: '/api/search?q=caf\u00e9%20cr\u00e8me&limit=20&x=\u0001\u001f',
    route: '/api/search',
    statusCode: 200,
    responseTime: 12.5,
  },
  {
    reqId: 'x'.repeat(128),
    method: 'DELETE',
    url: `/api/jobs/${'y'.repeat(300)}`,
    route: '/api/jobs/:id',
    statusCode: 400,
    responseTime: 1234.56,
  },
];

describe('requestLineWriter', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-03T15:22:50.171Z') }));
  afterEach(() => jest.useRealTimers());

  it.each(OUTCOMES)("writes exactly pino's line for logger.info(outcome, 'request completed'): %j", (outcome) => {
    const { logger, lines } = serviceLogger();
    logger.info({ ...outcome }, REQUEST_COMPLETED);
    requestLineWriter(logger)(outcome);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(lines[0]);
    expect(JSON.parse(lines[1])).toMatchObject({ ...outcome, level: 30, msg: REQUEST_COMPLETED, pid: process.pid });
  });
});
