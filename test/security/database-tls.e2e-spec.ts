import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Client } from 'pg';
import { validateEnvironment } from '../../src/config/environment';
import { buildDataSourceOptions } from '../../src/database/data-source-options';

/**
 * A PostgreSQL-like TLS endpoint: it answers the SSLRequest with 'S' and completes a TLS
 * handshake with a self-signed certificate for `localhost`, then hangs up (no real server
 * behind it). Enough to see whether the client verifies the certificate.
 */
function startTlsEndpoint(key: Buffer, cert: Buffer): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer((socket) => {
    socket.once('data', () => {
      socket.write('S');
      const secure = new tls.TLSSocket(socket, { isServer: true, key, cert });
      secure.on('error', () => socket.destroy());
      secure.once('data', () => secure.destroy()); // the startup message: hang up
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    ),
  );
}

/** The error of connecting with the service's TLS options, or undefined. */
async function connectError(port: number, env: Record<string, string>): Promise<Error | undefined> {
  const { ssl } = buildDataSourceOptions(validateEnvironment(env), { url: 'postgresql://u@localhost/db' });
  const client = new Client({ host: 'localhost', port, user: 'u', database: 'db', ssl: ssl as tls.ConnectionOptions });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return error as Error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('DB_SSL=true verifies the database certificate', () => {
  let endpoint: { port: number; close(): Promise<void> };
  let caFile: string;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ma-tls-'));
    caFile = path.join(dir, 'cert.pem');
    const keyFile = path.join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-keyout',
        keyFile,
        '-out',
        caFile,
      ],
      { stdio: 'ignore' },
    );
    endpoint = await startTlsEndpoint(readFileSync(keyFile), readFileSync(caFile));
  });
  afterAll(() => endpoint?.close());

  it('refuses a certificate no trusted CA signed', async () => {
    const error = await connectError(endpoint.port, { DB_SSL: 'true' });
    expect(error?.message).toMatch(/self[- ]signed certificate/);
  });

  it('accepts it once DB_SSL_CA names the CA: the handshake succeeds and only the (fake) server hangs up', async () => {
    const error = await connectError(endpoint.port, { DB_SSL: 'true', DB_SSL_CA: caFile });
    expect(error).toBeDefined();
    expect(error!.message).not.toMatch(/certificate|self[- ]signed|CERT/i);
    expect(error!.message).toMatch(/terminated|closed|ECONNRESET|end/i);
  });
});
