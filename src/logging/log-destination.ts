import pino from 'pino';

type Destination = ReturnType<typeof pino.destination>;

/** Log lines are written to stdout in batches of at least this many bytes (about 15 request lines)… */
export const LOG_BATCH_BYTES = 4096;
/** …or at least this often, so that a quiet service's lines still appear promptly. */
export const LOG_FLUSH_MS = 250;

let stdout: Destination | undefined;

/**
 * Standard output for the JSON logs, buffered, written synchronously a batch at a time. One
 * write(2) per line cost more CPU per request than building the line, and asynchronous writes
 * (libuv's thread pool) cost about 4 µs per line more than one synchronous write per batch
 * (a microbenchmark at the service's line rate, see bench/README.md). The buffer is written when the process exits, also on
 * an uncaught exception, so only a SIGKILL or an out-of-memory kill can lose lines: at most
 * LOG_FLUSH_MS of them. One per process: every app started in it (tests start many) shares the
 * one stdout.
 */
export function bufferedStdout(): Destination {
  if (stdout) return stdout;
  const destination = pino.destination({
    dest: 1,
    sync: true,
    minLength: LOG_BATCH_BYTES,
    periodicFlush: LOG_FLUSH_MS,
  });
  // pino flushes at exit only the asynchronous destinations it builds itself.
  process.once('exit', () => destination.flushSync());
  return (stdout = destination);
}

/** Writes what is buffered now (the start lines, so that "listening on" is not held back). */
export function flushLogs(): void {
  stdout?.flush();
}
