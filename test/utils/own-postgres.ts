import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { freePort } from './free-port';

export interface OwnPostgres {
  /** Connection string of its media_analysis database. */
  readonly url: string;
  /** pg_ctl stop -m fast: open connections are terminated, new ones refused. */
  stop(): Promise<void>;
  /** Starts it again on the same data directory and port. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL server a test owns and may stop and start at will (the embedded binaries), in a
 * temporary directory on a free loopback port. As root, the server runs as the postgres OS
 * user, which must be able to traverse the directory (hence 0755).
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const root = await mkdtemp(path.join(tmpdir(), 'media-analysis-own-pg-'));
  await chmod(root, 0o755);
  const dataDir = path.join(root, 'postgres');
  const port = await freePort();
  let server: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir, port });
  let running = true;
  return {
    url: server.url,
    stop: async () => {
      await server.stop();
      running = false;
    },
    start: async () => {
      server = await startEmbeddedPostgres({ dataDir, port });
      running = true;
    },
    destroy: async () => {
      if (running) await server.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
