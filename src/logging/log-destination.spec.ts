import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { LOG_BATCH_BYTES } from './log-destination';

/**
 * Runs `script` in a fresh Node process (with log-destination.ts loaded as `stdout`) and returns
 * what it wrote to standard output.
 */
function outputOf(script: string): { stdout: string; status: number | null } {
  const module = path.join(__dirname, 'log-destination.ts');
  const result = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-e', `const stdout = require(${JSON.stringify(module)}); ${script}`],
    { encoding: 'utf8', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } },
  );
  return { stdout: result.stdout, status: result.status };
}

describe('bufferedStdout', () => {
  // A line shorter than a batch stays in the buffer: the periodic flush cannot have run before
  // these processes end, so the line reaches stdout only through the flush at exit.
  it('writes the buffered lines when the process exits', () => {
    const { stdout, status } = outputOf(`stdout.bufferedStdout().write('line before exit\\n'); process.exit(3);`);
    expect(status).toBe(3);
    expect(stdout).toBe('line before exit\n');
  });

  it('writes the buffered lines when an uncaught exception ends the process', () => {
    const { stdout, status } = outputOf(
      `stdout.bufferedStdout().write('line before crash\\n'); setImmediate(() => { throw new Error('boom'); });`,
    );
    expect(status).toBe(1);
    expect(stdout).toBe('line before crash\n');
  });

  it('holds lines back until a batch is full, then writes the batch at once', () => {
    const { stdout } = outputOf(
      `const out = stdout.bufferedStdout();
       const mark = (text) => require('node:fs').writeSync(1, text);
       const line = 'x'.repeat(99) + '\\n';
       for (let i = 0; i < Math.floor(stdout.LOG_BATCH_BYTES / 100); i++) out.write(line);
       mark('FIRST\\n');
       out.write(line);
       mark('SECOND\\n');
       out.write(line);
       process.exit(0);`,
    );
    const lines = Math.floor(LOG_BATCH_BYTES / 100);
    const [beforeFirst, rest] = stdout.split('FIRST\n');
    const [betweenMarks, afterSecond] = rest.split('SECOND\n');
    expect(beforeFirst).toBe(''); // a batch not yet full
    expect(betweenMarks).toBe(
      'x'
        .repeat(99)
        .concat('\n')
        .repeat(lines + 1),
    ); // full: the whole batch
    expect(afterSecond).toBe('x'.repeat(99).concat('\n')); // the rest, at exit
  });
});
