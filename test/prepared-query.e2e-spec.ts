import { Client, type QueryConfig, type QueryResult } from 'pg';
import { API_TYPES } from '../src/common/timestamps';
import { PreparedQuery } from '../src/database/prepared-query';
import { createTestDatabase } from './utils/test-database';

/** Every kind of column the service's statements return, NULLs included. */
const COLUMNS = `gen_random_uuid() AS id, 'video'::varchar AS job_type, 'x'::text AS prompt, 7::int AS priority,
  9007199254740993::int8 AS big, true AS flag, now() AS created_at, NULL::timestamptz AS started_at,
  '{"a":[1,{"b":null}]}'::jsonb AS parameters, NULL::jsonb AS result, 1.5::numeric AS score, ARRAY['a','b'] AS tags,
  '2026-01-20 10:01:00.123456+00'::timestamptz AS fixed_at`;

describe('PreparedQuery: node-postgres answers, its row shape derived once per statement', () => {
  let client: Client;
  let other: Client;

  const prepared = (config: QueryConfig, on: Client = client) =>
    new Promise<QueryResult>((resolve, reject) => {
      on.query(new PreparedQuery(config, (error, result) => (error ? reject(error) : resolve(result as QueryResult))));
    });

  beforeAll(async () => {
    const url = await createTestDatabase({ empty: true });
    client = new Client({ connectionString: url, options: '-c TimeZone=UTC' });
    other = new Client({ connectionString: url, options: '-c TimeZone=UTC' });
    await client.connect();
    await other.connect();
  });
  afterAll(async () => {
    await client?.end();
    await other?.end();
  });

  it("answers exactly what pg's own Query answers, on the first execution and on later ones", async () => {
    const statement = {
      name: 'prepared-query-spec:columns',
      text: `SELECT ${COLUMNS}, n FROM generate_series(1, 3) n`,
      types: API_TYPES,
    };
    const own = await other.query({ ...statement, name: 'prepared-query-spec:own' });
    const first = await prepared(statement);
    const second = await prepared(statement);
    for (const answer of [first, second]) {
      expect(answer.fields.map(({ name, dataTypeID, format }) => ({ name, dataTypeID, format }))).toEqual(
        own.fields.map(({ name, dataTypeID, format }) => ({ name, dataTypeID, format })),
      );
      expect(answer.rows).toHaveLength(3);
      // Ids and now() differ between executions: compare the rest, and their types.
      const comparable = (rows: Record<string, unknown>[]) =>
        rows.map(({ id, created_at: createdAt, ...rest }) => ({
          ...rest,
          id: typeof id,
          created_at: typeof createdAt,
        }));
      expect(comparable(answer.rows)).toEqual(comparable(own.rows));
      expect(Object.keys(answer.rows[0])).toEqual(Object.keys(own.rows[0]));
    }
    expect(second.rows[0]).toMatchObject({
      fixed_at: '2026-01-20T10:01:00.123Z',
      big: '9007199254740993',
      priority: 7,
    });
    // The second execution used the shape the first derived (pg's internals are as expected).
    expect(second.fields).toBe(first.fields);
  });

  it('derives the shape again when the same statement name describes other columns', async () => {
    const name = 'prepared-query-spec:changing';
    const asInteger = await prepared({ name, text: 'SELECT 42::int AS value' });
    expect(asInteger.rows).toEqual([{ value: 42 }]);
    // Another connection, where the same name was never prepared: text now, not an integer.
    const asText = await prepared({ name, text: "SELECT '42'::text AS value, 1 AS more" }, other);
    expect(asText.rows).toEqual([{ value: '42', more: 1 }]);
    const again = await prepared({ name, text: 'SELECT 42::int AS value' });
    expect(again.rows).toEqual([{ value: 42 }]);
  });

  it('keeps statements without rows and errors as pg answers them', async () => {
    await prepared({ name: 'prepared-query-spec:ddl', text: 'CREATE TEMP TABLE t (a int)' });
    const inserted = await prepared({ name: 'prepared-query-spec:insert', text: 'INSERT INTO t VALUES (1), (2)' });
    expect(inserted).toMatchObject({ command: 'INSERT', rowCount: 2, rows: [] });
    await expect(prepared({ name: 'prepared-query-spec:bad', text: 'SELECT 1/0 AS x' })).rejects.toMatchObject({
      code: '22012',
    });
  });
});
