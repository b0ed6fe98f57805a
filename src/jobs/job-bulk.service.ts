import { Injectable } from '@nestjs/common';
import type { Cursor } from '../common/pagination';
import { SqlService } from '../database/sql.service';
import { MetricsService } from '../metrics/metrics.service';
import type { BulkActionResponseDto, BulkDeleteDto, BulkRetryDto } from './dto/bulk-actions.dto';
import {
  BULK_CHUNK_SIZE,
  bulkChunkStatement,
  bulkCountStatement,
  type BulkAction,
  type BulkFilter,
} from './job-bulk-sql';

interface ChunkRow {
  matched: number;
  changed: number;
  last_cursor_at: string | null;
  last_id: string | null;
}

/**
 * Bulk retry and bulk delete, in chunks of at most BULK_CHUNK_SIZE jobs per statement. Each chunk
 * commits on its own, so locks are held briefly and workers keep claiming meanwhile.
 */
@Injectable()
export class JobBulkService {
  constructor(
    private readonly sql: SqlService,
    private readonly metrics: MetricsService,
  ) {}

  /** Every matching failed job → pending, exactly as a single retry sets it. */
  retry(body: BulkRetryDto): Promise<BulkActionResponseDto> {
    const { dry_run: dryRun, ...filter } = body;
    return this.run('retry', { ...filter, status: 'failed' }, dryRun === true);
  }

  /** Every matching job in `status` is deleted, with its children by cascade. */
  delete(body: BulkDeleteDto): Promise<BulkActionResponseDto> {
    const { dry_run: dryRun, ...filter } = body;
    return this.run('delete', filter, dryRun === true);
  }

  private async run(action: BulkAction, filter: BulkFilter, dryRun: boolean): Promise<BulkActionResponseDto> {
    if (dryRun) {
      const { statement, values } = bulkCountStatement(filter);
      const [{ matched }] = await this.sql.query<{ matched: number }>(statement, values);
      return { matched, changed: 0 };
    }
    let matched = 0;
    let changed = 0;
    let cursor: Cursor | undefined;
    for (;;) {
      const { statement, values } = bulkChunkStatement(action, filter, cursor);
      const [chunk] = await this.sql.query<ChunkRow>(statement, values);
      matched += chunk.matched;
      changed += chunk.changed;
      if (action === 'retry' && chunk.changed > 0)
        this.metrics.transitions.inc({ status: 'pending', cause: 'bulk_retry' }, chunk.changed);
      if (chunk.matched < BULK_CHUNK_SIZE || !chunk.last_cursor_at || !chunk.last_id) break;
      cursor = { createdAt: chunk.last_cursor_at, id: chunk.last_id };
    }
    return { matched, changed };
  }
}
