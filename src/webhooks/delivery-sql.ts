import type { Statement } from '../database/sql.service';

/** Below this transaction id every writer has finished (the events design's horizon). */
const HORIZON = `pg_snapshot_xmin(pg_current_snapshot())::text::bigint`;

/** What the sender does with deliveries; `attempts` is the fencing token of a claim. */
export const DELIVERY_SQL = {
  /**
   * Claims up to $1 due deliveries under a lease of $3 seconds, skipping rows another instance
   * holds. A delivery is due when its time has come, its subscription is enabled, its event's
   * transaction is below the horizon (so no earlier event of its job can still commit), and no
   * earlier delivery of the same job to the same target is still pending: per job and target,
   * strictly in event order. $2: subscriptions this instance cannot take more of right now.
   * Returns everything a send needs: target, secrets and the event.
   */
  claim: {
    name: 'webhook_deliveries.claim',
    text: `WITH due AS (
             SELECT d.id FROM webhook_deliveries d
             LEFT JOIN webhooks w ON w.id = d.webhook_id
             WHERE d.status = 'pending' AND d.next_attempt_at <= now()
               AND (d.lease_expires_at IS NULL OR d.lease_expires_at <= now())
               AND (d.webhook_id IS NULL OR (w.enabled AND d.webhook_id <> ALL ($2::uuid[])))
               AND d.event_tx_id < ${HORIZON}
               AND NOT EXISTS (
                 SELECT 1 FROM webhook_deliveries earlier
                 WHERE earlier.status = 'pending' AND earlier.job_id = d.job_id
                   AND earlier.webhook_id IS NOT DISTINCT FROM d.webhook_id
                   AND (earlier.event_tx_id, earlier.event_id) < (d.event_tx_id, d.event_id))
             ORDER BY d.next_attempt_at
             LIMIT $1
             FOR UPDATE OF d SKIP LOCKED),
           claimed AS (
             UPDATE webhook_deliveries d
             SET attempts = d.attempts + 1, lease_expires_at = now() + make_interval(secs => $3)
             FROM due WHERE d.id = due.id
             RETURNING d.id, d.webhook_id, d.callback_url, d.event_id, d.attempts)
           SELECT c.id, c.webhook_id, c.attempts, COALESCE(w.url, c.callback_url) AS url,
             w.secret, CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret END AS previous_secret,
             e.id AS event_id, e.type, e.job_id, e.job_type, e.created_at, e.data, (e.id IS NULL) AS event_missing
           FROM claimed c
           LEFT JOIN webhooks w ON w.id = c.webhook_id
           LEFT JOIN job_events e ON e.id = c.event_id`,
  },
  succeeded: {
    name: 'webhook_deliveries.succeeded',
    text: `UPDATE webhook_deliveries SET status = 'succeeded', completed_at = now(), lease_expires_at = NULL,
             last_attempt_at = now(), response_status = $3, response_body = $4, last_error = NULL
           WHERE id = $1 AND attempts = $2 AND status = 'pending' RETURNING created_at`,
  },
  /** A failed attempt: retried at now + $5 seconds, or finally failed when $5 is NULL. */
  attemptFailed: {
    name: 'webhook_deliveries.attemptFailed',
    text: `UPDATE webhook_deliveries SET
             status = CASE WHEN $5::double precision IS NULL THEN 'failed' ELSE 'pending' END,
             completed_at = CASE WHEN $5::double precision IS NULL THEN now() END,
             next_attempt_at = CASE WHEN $5::double precision IS NULL THEN next_attempt_at
               ELSE now() + make_interval(secs => $5) END,
             lease_expires_at = NULL, last_attempt_at = now(),
             response_status = $3, response_body = $4, last_error = $6
           WHERE id = $1 AND attempts = $2 AND status = 'pending' RETURNING id`,
  },
  /** 410 Gone: the delivery fails for good and its subscription is disabled. */
  gone: {
    name: 'webhook_deliveries.gone',
    text: `WITH failed AS (
             UPDATE webhook_deliveries SET status = 'failed', completed_at = now(), lease_expires_at = NULL,
               last_attempt_at = now(), response_status = 410, response_body = $3,
               last_error = 'the target answered 410 Gone: subscription disabled'
             WHERE id = $1 AND attempts = $2 AND status = 'pending' RETURNING webhook_id)
           UPDATE webhooks SET enabled = false, disabled_reason = 'the target answered 410 Gone', updated_at = now()
           WHERE id = (SELECT webhook_id FROM failed) RETURNING id`,
  },
  /** Gives a claim back untried (the service is stopping). */
  release: {
    name: 'webhook_deliveries.release',
    text: `UPDATE webhook_deliveries SET attempts = attempts - 1, lease_expires_at = NULL
           WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
  },
  backlog: {
    name: 'webhook_deliveries.backlog',
    text: `SELECT count(*) FILTER (WHERE next_attempt_at <= now())::integer AS due,
             count(*) FILTER (WHERE next_attempt_at > now())::integer AS scheduled
           FROM webhook_deliveries WHERE status = 'pending'`,
  },
} satisfies Record<string, Statement>;
