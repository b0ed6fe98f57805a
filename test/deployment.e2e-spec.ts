import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/**
 * The container files, read as the reviewer reads them (no Docker daemon on the CI machine):
 * the runtime user cannot rewrite the app, and compose runs with no known password and no superuser.
 */
describe('deployment files', () => {
  const dockerfile = read('Dockerfile');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const compose = read('docker-compose.yml');

  it('Dockerfile: app files and node_modules stay root-owned (no --chown), the process runs as node on 0.0.0.0', () => {
    const copies = runtime.split('\n').filter((line) => line.startsWith('COPY'));
    expect(copies.length).toBeGreaterThanOrEqual(3);
    for (const line of copies) expect(line).not.toMatch(/--chown|--chmod/);
    expect(runtime).not.toMatch(/^RUN .*\b(chown|chmod)\b/m);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^ENV .*\bNODE_ENV=production\b.*\bHOST=0\.0\.0\.0\b/m);
  });

  it('compose: every password comes from the environment, with no default', () => {
    expect(compose).not.toMatch(/:-/); // ${VAR:-default}
    expect(compose).toMatch(/POSTGRES_PASSWORD: \$\{POSTGRES_PASSWORD:\?/);
    expect(compose).not.toMatch(/change-me/);
  });

  it('compose: the service connects as media_api, which the init script creates without superuser rights', () => {
    expect(/DATABASE_URL: postgresql:\/\/([^:]+):/.exec(compose)?.[1]).toBe('media_api');
    const init = read('docker/postgres-init/01-service-role.sh');
    expect(init).toMatch(/CREATE ROLE media_api LOGIN NOSUPERUSER/);
    expect(init).toMatch(/CREATE DATABASE media_analysis OWNER media_api/);
    expect(init).toMatch(/PASSWORD :'password'/);
  });
});
