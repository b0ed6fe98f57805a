import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface ServiceProcess {
  child: ChildProcess;
  baseUrl: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The database variables a test must not inherit when it wants the zero-config start. */
const DATABASE_VARIABLES = ['DATABASE_URL', 'DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_USER', 'DB_PASSWORD'];

/**
 * Runs the built service (`node dist/main.js`, as start:prod and the Dockerfile do) with the
 * given environment, and waits until GET /health/live answers.
 */
export async function startServiceProcess(
  env: Record<string, string>,
  options: { inheritDatabase?: boolean } = {},
): Promise<ServiceProcess> {
  const base: Record<string, string | undefined> = { ...process.env };
  if (!options.inheritDatabase) for (const key of DATABASE_VARIABLES) delete base[key];
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: REPO_ROOT,
    env: { ...base, NODE_ENV: 'test', LOG_LEVEL: 'info', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const baseUrl = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 60_000;
  let running = true;
  void exited.then(() => (running = false));
  while (Date.now() < deadline && running) {
    const ok = await fetch(`${baseUrl}/health/live`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return { child, baseUrl, output: () => output, exited };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`service did not come up:\n${output}`);
}

export async function stopServiceProcess(service: ServiceProcess, signal: NodeJS.Signals = 'SIGTERM') {
  service.child.kill(signal);
  return service.exited;
}
