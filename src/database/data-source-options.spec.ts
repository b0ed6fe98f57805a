import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateEnvironment } from '../config/environment';
import { buildDataSourceOptions } from './data-source-options';

describe('buildDataSourceOptions: TLS', () => {
  const target = { url: 'postgresql://u@db.example.com/x' };

  it('no TLS unless DB_SSL=true', () => {
    expect(buildDataSourceOptions(validateEnvironment({}), target).ssl).toBeUndefined();
  });

  it('DB_SSL=true verifies the server certificate against the system CAs', () => {
    expect(buildDataSourceOptions(validateEnvironment({ DB_SSL: 'true' }), target).ssl).toEqual({
      rejectUnauthorized: true,
    });
  });

  it('DB_SSL_CA adds the CA (a private one) to verify against, read at start', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ma-ca-'));
    const file = path.join(dir, 'ca.pem');
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const ssl = buildDataSourceOptions(validateEnvironment({ DB_SSL: 'true', DB_SSL_CA: file }), target).ssl;
    expect(ssl).toEqual({
      rejectUnauthorized: true,
      ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    });
  });
});
