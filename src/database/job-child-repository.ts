import { NotFoundError } from '../common/errors';
import { keysetStatement } from '../common/keyset';
import { decodeCursor, DEFAULT_PAGE_SIZE, toPage, type CreatedRangeQueryDto, type Page } from '../common/pagination';
import { isPostgresError } from '../common/postgres-errors';
import { columnList, tableName, type EntityClass } from './entity-columns';
import type { SqlService, Statement } from './sql.service';

const JOB_EXISTS: Statement = { name: 'jobs.exists', text: 'SELECT 1 FROM jobs WHERE id = $1' };

/**
 * What the three child tables of a job (assets, transcriptions, analysis results) share:
 * insert against a job, list a job's rows oldest first, get and delete by id. Every statement
 * names the entity's columns (answerColumns), never `*`.
 */
export abstract class JobChildRepository<T extends { id: string }> {
  protected readonly table: string;
  /** The columns of an answer, for SELECT and RETURNING. */
  protected readonly columns: string;
  private readonly findStatement: Statement;
  private readonly deleteStatement: Statement;

  protected constructor(
    protected readonly sql: SqlService,
    entity: EntityClass,
    private readonly label: string,
    private readonly filterColumn: string,
  ) {
    this.table = tableName(entity);
    this.columns = columnList(entity);
    this.findStatement = {
      name: `${this.table}.findById`,
      text: `SELECT ${this.columns} FROM ${this.table} WHERE id = $1`,
    };
    this.deleteStatement = {
      name: `${this.table}.delete`,
      text: `DELETE FROM ${this.table} WHERE id = $1 RETURNING id`,
    };
  }

  /** Runs an INSERT … RETURNING for job `jobId`; an unknown job is a 404, not a foreign-key 500. */
  protected async insert(jobId: string, statement: Statement, values: unknown[]): Promise<T> {
    try {
      const [row] = await this.sql.query<T>(statement, values);
      return row;
    } catch (error) {
      if (isPostgresError(error) && error.code === '23503') throw new NotFoundError('Job', jobId);
      throw error;
    }
  }

  async listByJobId(jobId: string, query: CreatedRangeQueryDto, filterValue?: string): Promise<Page<T>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const { statement, values } = keysetStatement(this.table, this.columns, {
      equals: [
        ['job_id', jobId],
        [this.filterColumn, filterValue],
      ],
      createdAfter: query.created_after,
      createdBefore: query.created_before,
      cursor: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit,
      order: 'asc',
    });
    const page = toPage(await this.sql.query<T & { cursor_at: string }>(statement, values), limit);
    if (page.items.length === 0 && (await this.sql.query(JOB_EXISTS, [jobId])).length === 0) {
      throw new NotFoundError('Job', jobId);
    }
    return page;
  }

  async getById(id: string): Promise<T> {
    const [row] = await this.sql.query<T>(this.findStatement, [id]);
    if (!row) throw new NotFoundError(this.label, id);
    return row;
  }

  async delete(id: string): Promise<void> {
    const deleted = await this.sql.query(this.deleteStatement, [id]);
    if (deleted.length === 0) throw new NotFoundError(this.label, id);
  }
}
