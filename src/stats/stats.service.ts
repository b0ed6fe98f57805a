import { Injectable } from '@nestjs/common';
import { SqlService } from '../database/sql.service';
import { JOB_STATUSES, JOB_TYPES, type JobStatus, type JobType } from '../jobs/job.entity';
import type { FinishedCountsDto, QueueStatsDto, StatsResponseDto, StatusCountsDto } from './dto/stats-response.dto';
import { STATS_SQL } from './stats-sql';

interface StatsRow {
  metric: 'count' | 'last_hour' | 'last_5_minutes' | 'oldest_pending';
  job_type: JobType;
  status: JobStatus;
  n: number | null;
  at: string | null;
}

const emptyCounts = (): StatusCountsDto => ({ pending: 0, processing: 0, completed: 0, failed: 0 });
const emptyFinished = (): FinishedCountsDto => ({ completed: 0, failed: 0 });
const emptyQueue = (): QueueStatsDto => ({
  counts: emptyCounts(),
  total: 0,
  oldest_pending_created_at: null,
  last_5_minutes: emptyFinished(),
  last_hour: emptyFinished(),
});

/** Folds one row into a queue's figures. */
function add(queue: QueueStatsDto, row: StatsRow): void {
  switch (row.metric) {
    case 'count':
      queue.counts[row.status] += row.n ?? 0;
      queue.total += row.n ?? 0;
      break;
    case 'last_hour':
    case 'last_5_minutes':
      queue[row.metric][row.status as keyof FinishedCountsDto] += row.n ?? 0;
      break;
    case 'oldest_pending':
      if (row.at && (!queue.oldest_pending_created_at || row.at < queue.oldest_pending_created_at))
        queue.oldest_pending_created_at = row.at;
      break;
  }
}

/** The queue at a glance for GET /api/stats. */
@Injectable()
export class StatsService {
  /**
   * The read in flight, shared: the counts scan the whole index, so many dashboards polling at
   * once cost one scan, not one each. Nothing is cached past the read itself.
   */
  private inFlight: Promise<StatsResponseDto> | undefined;

  constructor(private readonly sql: SqlService) {}

  read(): Promise<StatsResponseDto> {
    this.inFlight ??= this.load().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async load(): Promise<StatsResponseDto> {
    const generatedAt = new Date().toISOString();
    const rows = await this.sql.query<StatsRow>(STATS_SQL, [JOB_TYPES]);
    const byType = new Map(JOB_TYPES.map((jobType) => [jobType, emptyQueue()]));
    const totals = emptyQueue();
    for (const row of rows) {
      if (!JOB_STATUSES.includes(row.status)) continue;
      const queue = byType.get(row.job_type);
      if (queue) add(queue, row);
      add(totals, row);
    }
    return {
      generated_at: generatedAt,
      job_types: JOB_TYPES.map((jobType) => ({ job_type: jobType, ...byType.get(jobType)! })),
      totals,
    };
  }
}
