import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './utils/free-port';
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
