import { LeaseSweeperService } from '../../src/jobs/lease-sweeper.service';
import type { TestApp } from '../utils/test-app';
import { insertJobs, sleep, startApi } from '../utils/fixtures';

/** Lease recovery with several instances, and without any client's help. */
describe('lease sweep', () => {
  describe('two instances sweeping one database at once', () => {
    let a: TestApp;
    let b: TestApp;
    beforeAll(async () => {
      a = await startApi({ env: { LEASE_SWEEP_INTERVAL_MS: '3600000' } });
      b = await startApi({ databaseUrl: a.databaseUrl, env: { LEASE_SWEEP_INTERVAL_MS: '3600000' } });
      // Records every status change out of processing: a job handled twice shows up twice.
      await a.db.query(`
        CREATE TABLE sweep_audit (job_id uuid NOT NULL, old_status text, new_status text);
        CREATE FUNCTION audit_sweep() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO sweep_audit VALUES (NEW.id, OLD.status, NEW.status); RETURN NEW; END $$;
        CREATE TRIGGER trg_sweep_audit AFTER UPDATE ON jobs FOR EACH ROW
          WHEN (OLD.status = 'processing' AND NEW.status <> 'processing') EXECUTE FUNCTION audit_sweep();`);
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
    });

    it('recovers each expired job exactly once, across batches', async () => {
      const expired = {
        status: 'processing',
        started_at: '2025-01-01T00:00:00Z',
        lease_expires_at: '2025-01-01T00:05:00Z',
        worker_id: 'gone',
      };
      const toPending = await insertJobs(
        a.db,
        Array.from({ length: 200 }, () => ({ ...expired, attempts: 1 })),
      );
      const toFailed = await insertJobs(
        a.db,
        Array.from({ length: 50 }, () => ({ ...expired, attempts: 3, max_attempts: 3 })),
      );
      const live = await insertJobs(a.db, [{ ...expired, lease_expires_at: '2999-01-01T00:00:00Z' }]);
      const sweepers = [a, b, a, b, a, b].map((x) => x.app.get(LeaseSweeperService));

      const recovered = await Promise.all(sweepers.map((sweeper) => sweeper.sweep()));
      expect(recovered.reduce((sum, n) => sum + n, 0)).toBe(250);

      const { rows: audit } = await a.db.query(`SELECT job_id, new_status FROM sweep_audit`);
      expect(audit).toHaveLength(250);
      expect(new Set(audit.map((row) => row.job_id)).size).toBe(250);
      const { rows } = await a.db.query(
        `SELECT id, status, attempts, worker_id, started_at, lease_expires_at, error FROM jobs`,
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      for (const id of toPending) {
        expect(byId.get(id)).toMatchObject({
          status: 'pending',
          attempts: 1,
          worker_id: null,
          started_at: null,
          lease_expires_at: null,
          error: null,
        });
      }
      for (const id of toFailed) {
        expect(byId.get(id)).toMatchObject({
          status: 'failed',
          attempts: 3,
          lease_expires_at: null,
          error: expect.stringMatching(/lease expired/i),
        });
      }
      expect(byId.get(live[0])).toMatchObject({ status: 'processing', worker_id: 'gone' });
      expect(await sweepers[0].sweep()).toBe(0);
    });

    it('never lets a claim and a sweep both take one job', async () => {
      await a.db.query('DELETE FROM jobs; DELETE FROM sweep_audit');
      const expired = {
        status: 'processing',
        started_at: '2025-01-01T00:00:00Z',
        lease_expires_at: '2025-01-01T00:05:00Z',
        worker_id: 'gone',
        attempts: 1,
      };
      await insertJobs(
        a.db,
        Array.from({ length: 40 }, () => expired),
      );
      const claims = Array.from({ length: 60 }, (_, i) =>
        (i % 2 ? a : b).http.post('/api/jobs/claim').send({ worker_id: `w${i}` }),
      );
      const sweeps = [a, b].map((x) => x.app.get(LeaseSweeperService).sweep());
      const [answers] = await Promise.all([Promise.all(claims), Promise.all(sweeps)]);
      // Any later claim still finds the rest: drain them.
      const more = [];
      for (;;) {
        const res = await a.http.post('/api/jobs/claim').send({ worker_id: 'late' });
        if (res.status === 204) break;
        expect(res.status).toBe(200);
        more.push(res.body.id);
      }
      const claimedIds = [...answers.filter((res) => res.status === 200).map((res) => res.body.id), ...more];
      expect(answers.every((res) => res.status === 200 || res.status === 204)).toBe(true);
      expect(new Set(claimedIds).size).toBe(claimedIds.length);
      expect(claimedIds).toHaveLength(40);
      const { rows } = await a.db.query(
        `SELECT count(*)::int AS n FROM jobs WHERE status = 'processing' AND attempts = 2`,
      );
      expect(rows[0].n).toBe(40);
    });
  });

  describe('without any client', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApi({ env: { LEASE_SWEEP_INTERVAL_MS: '5000' } });
    });
    afterAll(() => t.close());

    it('recovers an expired lease within lease_seconds + 10 s by itself (default sweep interval)', async () => {
      const [id] = await insertJobs(t.db, [
        {
          status: 'processing',
          attempts: 1,
          worker_id: 'w',
          started_at: '2025-01-01T00:00:00Z',
          lease_expires_at: new Date(Date.now() + 1000).toISOString(),
        },
      ]);
      const deadline = Date.now() + 11_000;
      let status = 'processing';
      while (status === 'processing' && Date.now() < deadline) {
        await sleep(250);
        status = (await t.db.query(`SELECT status FROM jobs WHERE id = $1`, [id])).rows[0].status;
      }
      expect(status).toBe('pending');
    }, 20_000);
  });
});
