import { Injectable, type Type } from '@nestjs/common';
import { NotFoundError } from '../common/errors';
import { keysetStatement } from '../common/keyset';
import { decodeCursor, DEFAULT_PAGE_SIZE, toPage, type CreatedRangeQueryDto, type Page } from '../common/pagination';
import { isPostgresError } from '../common/postgres-errors';
import { columnList, insertColumns, tableName, type EntityClass, type InsertColumn } from './entity-columns';
import { SqlService, type Statement } from './sql.service';

const JOB_EXISTS: Statement = { name: 'jobs.exists', text: 'SELECT 1 FROM jobs WHERE id = $1' };

/**
 * A parameter of the INSERT: jsonb travels as JSON text, and a column with a default gets it
 * when the request leaves the field out or sends null (as jobs do with theirs).
 */
function insertParameter(column: InsertColumn, position: number): string {
  const parameter = column.type === 'jsonb' ? `$${position}::jsonb` : `$${position}`;
  return column.defaultSql === undefined ? parameter : `COALESCE(${parameter}, ${column.defaultSql})`;
}

/**
 * What the three child tables of a job (assets, transcriptions, analysis results) share:
 * insert against a job, list a job's rows oldest first, get and delete by id. Every statement
 * is written from the entity (its table, its columns, their types and defaults), never with `*`:
 * a repository is its entity, a label for messages and the column its list filters on.
 */
export abstract class JobChildRepository<T extends { id: string }, D extends object> {
  private readonly table: string;
  /** The columns of an answer, for SELECT and RETURNING. */
  private readonly columns: string;
  /** The columns a create request fills, after job_id. */
  private readonly fields: InsertColumn[];
  private readonly insertStatement: Statement;
  private readonly findStatement: Statement;
  private readonly deleteStatement: Statement;

  /** The repository class of one child table, to be extended by an @Injectable() class. */
  static of<T extends { id: string }, D extends object>(
    entity: EntityClass,
    label: string,
    filterColumn: string,
  ): Type<JobChildRepository<T, D>> {
    @Injectable()
    class Repository extends JobChildRepository<T, D> {
      constructor(sql: SqlService) {
        super(sql, entity, label, filterColumn);
      }
    }
    return Repository;
  }

  protected constructor(
    private readonly sql: SqlService,
    entity: EntityClass,
    private readonly label: string,
    private readonly filterColumn: string,
  ) {
    this.table = tableName(entity);
    this.columns = columnList(entity);
    this.fields = insertColumns(entity).filter((column) => column.name !== 'job_id');
    const names = ['job_id', ...this.fields.map((column) => column.name)];
    const parameters = ['$1', ...this.fields.map((column, index) => insertParameter(column, index + 2))];
    this.insertStatement = {
      name: `${this.table}.insert`,
      text: `INSERT INTO ${this.table} (${names.join(', ')}) VALUES (${parameters.join(', ')}) RETURNING ${this.columns}`,
    };
    this.findStatement = {
      name: `${this.table}.findById`,
      text: `SELECT ${this.columns} FROM ${this.table} WHERE id = $1`,
    };
    this.deleteStatement = {
      name: `${this.table}.delete`,
      text: `DELETE FROM ${this.table} WHERE id = $1 RETURNING id`,
    };
  }

  /** Records a row for job `jobId` from a validated create request; an unknown job is a 404, not a foreign-key 500. */
  async create(jobId: string, request: D): Promise<T> {
    const values = this.fields.map(({ name, type }) => {
      const value = (request as Record<string, unknown>)[name];
      if (value === undefined || value === null) return null; // SQL NULL, never the jsonb value null
      return type === 'jsonb' ? JSON.stringify(value) : value;
    });
    try {
      const [row] = await this.sql.query<T>(this.insertStatement, [jobId, ...values]);
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
