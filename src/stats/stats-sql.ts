import type { Statement } from '../database/sql.service';

/**
 * The dashboard's figures in one statement, one row per (metric, job type, status):
 * - counts: an index-only scan of idx_jobs_type_status (Dashboard migration; deduplicated, so
 *   small), still one entry per job: about 0.3-0.5 s at 1,000,000 jobs on a busy 2-core box,
 *   hence the shared read in StatsService;
 * - the oldest pending job per type: one descent of idx_jobs_type_status_keyset per type;
 * - finished in the last hour / 5 minutes: a range scan of idx_jobs_finished (Dashboard migration),
 *   which only holds completed and failed jobs by completed_at.
 */
export const STATS_SQL = {
  name: 'stats.read',
  text: `SELECT 'count' AS metric, job_type, status, count(*)::int AS n, NULL::timestamptz AS at
         FROM jobs GROUP BY job_type, status
         UNION ALL
         SELECT 'last_hour', job_type, status, count(*)::int, NULL
         FROM jobs WHERE status IN ('completed', 'failed') AND completed_at > now() - interval '1 hour'
         GROUP BY job_type, status
         UNION ALL
         SELECT 'last_5_minutes', job_type, status, count(*)::int, NULL
         FROM jobs WHERE status IN ('completed', 'failed') AND completed_at > now() - interval '5 minutes'
         GROUP BY job_type, status
         UNION ALL
         SELECT 'oldest_pending', t.job_type, 'pending', NULL,
                (SELECT min(created_at) FROM jobs WHERE job_type = t.job_type AND status = 'pending')
         FROM unnest($1::varchar[]) AS t(job_type)`,
} satisfies Statement;
