import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from './utils/free-port';
import { runServiceToExit } from './utils/service-exit';
import { startServiceProcess, stopServiceProcess, type ServiceProcess } from './utils/service-process';

/** Zero-config start: no database variables, so the service runs its own PostgreSQL. */
describe('embedded PostgreSQL start (node dist/main.js, no database configured)', () => {
  let root: string;
  let dataDir: string;
  let env: Record<string, string>;
  let jobId: string;
  const running: ServiceProcess[] = [];

  const start = async () => {
    const service = await startServiceProcess(env);
    running.push(service);
    return service;
  };
  const lockFile = () => path.join(dataDir, 'postmaster.pid');
  const serverPid = () => Number(readFileSync(lockFile(), 'utf8').split('\n')[0]);
  const alive = (pid: number) => {
    try {
      // A zombie (exited, not yet reaped) counts as gone.
      return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      return false;
    }
  };

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'media-analysis-embedded-'));
    await chmod(root, 0o755); // the server runs as the postgres OS user when we are root
    dataDir = path.join(root, 'postgres');
    env = { PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()), EMBEDDED_PG_DATA_DIR: dataDir };
  });

  afterAll(async () => {
    for (const service of running) if (service.child.exitCode === null) await stopServiceProcess(service, 'SIGKILL');
    if (existsSync(lockFile())) {
      const pid = serverPid();
      if (alive(pid)) process.kill(pid, 'SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    await rm(root, { recursive: true, force: true });
  });

  it('comes up on a fresh data directory and says where the data lives', async () => {
    const service = await start();
    const health = await fetch(`${service.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(service.output()).toContain(`data in ${dataDir}`);
    expect(service.output()).toContain('set DATABASE_URL');
    const created = await fetch(`${service.baseUrl}/api/media/audio`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ media_url: 'https://cdn.example.com/a.mp3' }),
    });
    expect(created.status).toBe(201);
    jobId = ((await created.json()) as { id: string }).id;

    // SIGTERM: exit 0 and the embedded server is stopped with it.
    expect(await stopServiceProcess(service)).toEqual({ code: 0, signal: null });
    expect(existsSync(lockFile())).toBe(false);
  });

  it('connects as a role of its own that owns the database, not as the superuser', async () => {
    const service = await start();
    try {
      const superuser = new Client({
        host: '127.0.0.1',
        port: Number(env.EMBEDDED_PG_PORT),
        user: 'postgres',
        password: readFileSync(path.join(dataDir, 'media-analysis-api.password'), 'utf8').trim(),
        database: 'media_analysis',
      });
      await superuser.connect();
      try {
        const { rows } = await superuser.query(
          `SELECT DISTINCT a.usename AS role, r.rolsuper AS superuser, pg_get_userbyid(d.datdba) AS owner
             FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename JOIN pg_database d ON d.datname = a.datname
            WHERE a.application_name = 'media-analysis-api' AND a.datname = 'media_analysis'`,
        );
        expect(rows).toEqual([{ role: 'media_api', superuser: false, owner: 'media_api' }]);
        const tables = await superuser.query(`SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`);
        // Every table the migrations made belongs to it (so later migrations may alter them).
        expect(tables.rows).toEqual([{ tableowner: 'media_api' }]);
      } finally {
        await superuser.end();
      }
    } finally {
      expect(await stopServiceProcess(service)).toEqual({ code: 0, signal: null });
    }
  });

  it('keeps no password in a predictable temporary file, and leaves no staging directory', () => {
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith('media-analysis-pw-'))).toEqual([]);
    expect(readdirSync(root)).toEqual(['postgres']);
    const files = readdirSync(dataDir).filter((name) => name.startsWith('media-analysis-api'));
    expect(files.sort()).toEqual(['media-analysis-api.app.password', 'media-analysis-api.password']);
    for (const file of files) expect(statSync(path.join(dataDir, file)).mode & 0o077).toBe(0);
  });

  it('refuses to start on a data directory whose server a live sibling instance runs, and leaves that server alone', async () => {
    const sibling = await start();
    try {
      const result = await runServiceToExit({
        ...env,
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        PORT: String(await freePort()),
      });
      expect(result).toMatchObject({ code: 1, signal: null });
      expect(result.output).toContain(`is run by another media-analysis-api (pid ${sibling.child.pid})`);
      // The sibling's server still answers.
      expect((await fetch(`${sibling.baseUrl}/api/jobs/${jobId}`)).status).toBe(200);
      expect((await fetch(`${sibling.baseUrl}/health`)).status).toBe(200);
    } finally {
      expect(await stopServiceProcess(sibling)).toEqual({ code: 0, signal: null });
    }
  });

  it('keeps its data across restarts', async () => {
    const service = await start();
    const res = await fetch(`${service.baseUrl}/api/jobs/${jobId}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe(jobId);
    expect(await stopServiceProcess(service, 'SIGINT')).toEqual({ code: 0, signal: null });
  });

  it('takes over a server left running by a crashed service, and stops it on the next SIGTERM', async () => {
    const crashed = await start();
    await stopServiceProcess(crashed, 'SIGKILL');
    const orphan = serverPid();
    expect(alive(orphan)).toBe(true);

    const service = await start();
    expect(service.output()).toContain('taken over');
    expect((await fetch(`${service.baseUrl}/api/jobs/${jobId}`)).status).toBe(200);
    expect(await stopServiceProcess(service)).toEqual({ code: 0, signal: null });
    // The server removes its lock file on a clean stop (its process may linger as a zombie here).
    expect(existsSync(lockFile())).toBe(false);
  });

  it('starts after a stale lock file whose server is gone', async () => {
    const crashed = await start();
    await stopServiceProcess(crashed, 'SIGKILL');
    const orphan = serverPid();
    process.kill(orphan, 'SIGKILL');
    for (let i = 0; i < 50 && alive(orphan); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    // Let the killed server's backends notice and exit before the restart.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(existsSync(lockFile())).toBe(true);

    const service = await start();
    expect((await fetch(`${service.baseUrl}/api/jobs/${jobId}`)).status).toBe(200);
    expect(await stopServiceProcess(service)).toEqual({ code: 0, signal: null });
  });
});
