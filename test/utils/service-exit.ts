import { spawn } from 'node:child_process';
import { REPO_ROOT } from './service-process';

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/**
 * Runs `node dist/main.js` with exactly `env` (plus PATH) and waits for it to exit on its own,
 * for services that must refuse to start. Killed, and reported as such, after `timeoutMs`.
 */
export function runServiceToExit(env: Record<string, string>, timeoutMs = 20_000): Promise<ServiceExit> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}
