import pino from 'pino';

type Destination = ReturnType<typeof pino.destination>;

/** Log lines are written to stdout in batches of at least this many bytes (about 15 request lines)… */
export const LOG_BATCH_BYTES = 4096;
/** …or at least this often, so that a quiet service's lines still appear promptly. */
export const LOG_FLUSH_MS = 250;

let stdout: Destination | undefined;

/**
 * Standard output for the JSON logs, buffered. pino's default writes each line on its own
 * (one write(2), through libuv's thread pool, per request line); under load that hand-off cost
 * the service more CPU per request than building the line (npm run bench, see README). pino
 * flushes the buffer synchronously when the process exits, also on an uncaught exception, so
 * only a SIGKILL or an out-of-memory kill can lose lines: at most LOG_FLUSH_MS of them. One per
 * process: every app started in it (tests start many) shares the one stdout.
 */
export function bufferedStdout(): Destination {
  return (stdout ??= pino.destination({
    dest: 1,
    sync: false,
    minLength: LOG_BATCH_BYTES,
    periodicFlush: LOG_FLUSH_MS,
  }));
}

/** Writes what is buffered now (the start lines, so that "listening on" is not held back). */
export function flushLogs(): void {
  stdout?.flush();
}
