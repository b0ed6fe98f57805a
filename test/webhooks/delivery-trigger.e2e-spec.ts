import { Pool } from 'pg';
import { createTestDatabase } from '../utils/test-database';

/** The delivery rows the migration's trigger writes, checked with plain SQL (no service running). */
describe('webhooks: deliveries written by the database with their event', () => {
  let db: Pool;
  const webhook = async (columns: Record<string, unknown> = {}) => {
    const row = { url: 'https://hooks.example.com/in', secret: 'whsec_x', ...columns };
    const names = Object.keys(row);
    const { rows } = await db.query(
      `INSERT INTO webhooks (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
      Object.values(row),
    );
    return rows[0].id as string;
  };
  const deliveriesOf = async (jobId: string) =>
    (
      await db.query(
        `SELECT d.webhook_id, d.callback_url, d.event_type, d.status, d.event_id = e.id AS same_event, d.event_tx_id = e.tx_id AS same_tx
         FROM webhook_deliveries d JOIN job_events e ON e.id = d.event_id WHERE d.job_id = $1 ORDER BY e.tx_id, e.id, d.webhook_id`,
        [jobId],
      )
    ).rows;

  beforeAll(async () => {
    db = new Pool({ connectionString: await createTestDatabase(), max: 2 });
  });
  afterAll(() => db.end());

  it('writes one delivery per matching enabled subscription and one callback, in the same transaction', async () => {
    const all = await webhook();
    const audioOnly = await webhook({ job_types: ['audio'] });
    const completions = await webhook({ event_types: ['job.completed'] });
    await webhook({ enabled: false });
    const client = await db.connect();
    let jobId: string;
    try {
      await client.query('BEGIN');
      ({ id: jobId } = (
        await client.query(
          `INSERT INTO jobs (job_type, media_url, callback_url) VALUES ('video', 'https://x/y.mp4', 'https://n8n.example.com/resume/1') RETURNING id`,
        )
      ).rows[0]);
      // Visible inside the transaction that wrote the event…
      expect(
        (await client.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE job_id = $1`, [jobId])).rows[0].n,
      ).toBe(1);
      await client.query('ROLLBACK');
      // …and gone with it.
      expect(
        (await db.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE job_id = $1`, [jobId])).rows[0].n,
      ).toBe(0);
    } finally {
      client.release();
    }
    const { rows } = await db.query(
      `INSERT INTO jobs (job_type, media_url, callback_url) VALUES ('video', 'https://x/y.mp4', 'https://n8n.example.com/resume/2') RETURNING id`,
    );
    jobId = rows[0].id;
    await db.query(`UPDATE jobs SET status = 'processing', started_at = now() WHERE id = $1`, [jobId]);
    await db.query(`UPDATE jobs SET status = 'completed', completed_at = now() WHERE id = $1`, [jobId]);
    await db.query(`INSERT INTO media_assets (job_id, asset_type, file_path) VALUES ($1, 'frame', 's3://b/f.jpg')`, [
      jobId,
    ]);
    await db.query(`DELETE FROM jobs WHERE id = $1`, [jobId]);
    const written = await deliveriesOf(jobId);
    expect(written.every((d) => d.same_event && d.same_tx && d.status === 'pending')).toBe(true);
    const summary = written.map((d) => [d.event_type, d.webhook_id ?? `callback ${d.callback_url}`]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['job.created', all],
        ['job.started', all],
        ['job.completed', all],
        ['job.completed', completions],
        ['job.completed', 'callback https://n8n.example.com/resume/2'],
        ['asset.created', all],
        ['job.deleted', all],
      ]),
    );
    expect(summary).toHaveLength(7);
    expect(summary.some(([, target]) => target === audioOnly)).toBe(false);
    // The job is gone; its deliveries stay (no foreign key to jobs).
  });

  it('drops a subscription’s deliveries with it, and refuses unknown types and targets', async () => {
    const id = await webhook();
    await db.query(`INSERT INTO jobs (job_type, media_url) VALUES ('audio', 'https://x/a.mp3')`);
    expect(
      (await db.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = $1`, [id])).rows[0].n,
    ).toBe(1);
    await db.query(`DELETE FROM webhooks WHERE id = $1`, [id]);
    expect(
      (await db.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = $1`, [id])).rows[0].n,
    ).toBe(0);
    await expect(webhook({ event_types: ['job.exploded'] })).rejects.toThrow('chk_webhooks_event_types');
    await expect(webhook({ event_types: [] })).rejects.toThrow('chk_webhooks_event_types');
    await expect(webhook({ job_types: ['image'] })).rejects.toThrow('chk_webhooks_job_types');
    await expect(
      db.query(
        `INSERT INTO webhook_deliveries (event_id, event_tx_id, event_type, job_id) VALUES (1, 1, 'job.created', gen_random_uuid())`,
      ),
    ).rejects.toThrow('chk_webhook_deliveries_target');
  });
});
