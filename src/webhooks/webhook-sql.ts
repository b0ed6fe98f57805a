import type { Statement } from '../database/sql.service';

/** Every column of a subscription answer (the secrets stay internal). */
export const WEBHOOK_COLUMNS =
  'id, url, description, event_types, job_types, enabled, disabled_reason, created_at, updated_at';

/** Every column of a delivery answer (a callback's URL stays internal). */
export const DELIVERY_COLUMNS = [
  'id',
  'webhook_id',
  'event_id',
  'event_type',
  'job_id',
  'status',
  'attempts',
  'next_attempt_at',
  'last_attempt_at',
  'response_status',
  'response_body',
  'last_error',
  'created_at',
  'completed_at',
].join(', ');

export const WEBHOOK_SQL = {
  insert: {
    name: 'webhooks.insert',
    text: `INSERT INTO webhooks (url, description, event_types, job_types, secret)
           VALUES ($1, $2, $3::varchar[], $4::varchar[], $5)
           RETURNING ${WEBHOOK_COLUMNS}`,
  },
  findById: { name: 'webhooks.findById', text: `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1` },
  // null leaves a field as it is; enabling clears the reason the service had disabled it for.
  update: {
    name: 'webhooks.update',
    text: `UPDATE webhooks SET
             url = COALESCE($2, url),
             description = COALESCE($3, description),
             event_types = COALESCE($4::varchar[], event_types),
             job_types = COALESCE($5::varchar[], job_types),
             enabled = COALESCE($6, enabled),
             disabled_reason = CASE WHEN $6 IS NULL THEN disabled_reason END,
             updated_at = now()
           WHERE id = $1
           RETURNING ${WEBHOOK_COLUMNS}`,
  },
  delete: { name: 'webhooks.delete', text: `DELETE FROM webhooks WHERE id = $1 RETURNING id` },
  rotateSecret: {
    name: 'webhooks.rotateSecret',
    text: `UPDATE webhooks SET previous_secret = secret, previous_secret_expires_at = now() + interval '24 hours',
             secret = $2, updated_at = now()
           WHERE id = $1 RETURNING id`,
  },
  exists: { name: 'webhooks.exists', text: `SELECT 1 FROM webhooks WHERE id = $1` },
  // Sends it again: due now (a delivery already in flight keeps its claim).
  retryDelivery: {
    name: 'webhook_deliveries.retry',
    text: `UPDATE webhook_deliveries SET status = 'pending', completed_at = NULL,
             next_attempt_at = CASE WHEN status = 'pending' THEN LEAST(next_attempt_at, now()) ELSE now() END
           WHERE id = $2 AND webhook_id = $1
           RETURNING ${DELIVERY_COLUMNS}`,
  },
} satisfies Record<string, Statement>;
