import { Query, type FieldDef, type QueryResultRow } from 'pg';

type Parser = (text: string) => unknown;

/** The members of node-postgres's Query and Result (pg 8, lib/query.js and lib/result.js) used here. */
interface QueryInternals {
  name?: string;
  callback?: unknown;
  _accumulateRows: boolean;
  _checkForMultirow(): void;
  _result: {
    fields: FieldDef[];
    _parsers: Parser[] | undefined;
    _prebuiltEmptyResultObject: Record<string, null> | null;
  };
}

/** What node-postgres derives from a statement's row description. */
interface RowShape {
  fields: FieldDef[];
  parsers: Parser[];
  emptyRow: Record<string, null>;
}

/** By statement name: a named statement's columns are fixed while its text is. */
const shapes = new Map<string, RowShape>();

function sameColumns(known: FieldDef[], described: FieldDef[]): boolean {
  if (known.length !== described.length) return false;
  for (let i = 0; i < known.length; i++) {
    const [a, b] = [known[i], described[i]];
    if (a.name !== b.name || a.dataTypeID !== b.dataTypeID || a.format !== b.format) return false;
  }
  return true;
}

/**
 * node-postgres's Query, except that what it derives from a named statement's row description
 * (each column's parser and the empty row every row is cloned from) is derived once per
 * statement, not once per execution. pg rebuilds it from freshly decoded column names on every
 * execution, one property at a time: about 10 µs for a job row's 21 columns, the largest single
 * cost of a request on node-postgres's side (perf, npm run bench). The shape is checked against
 * each row description (names, types, formats), so a changed table gets a new one; rows are
 * then built by pg's own parseRow. test/prepared-query.e2e-spec.ts holds the answers to pg's own
 * Query.
 */
export class PreparedQuery<R extends QueryResultRow = QueryResultRow> extends Query<R> {
  handleRowDescription(message: { fields: FieldDef[] }): void {
    const query = this as unknown as QueryInternals;
    const name = query.name;
    const shape = name === undefined ? undefined : shapes.get(name);
    if (!shape || !sameColumns(shape.fields, message.fields)) {
      (Query.prototype as unknown as PreparedQuery).handleRowDescription.call(this, message);
      if (name !== undefined) remember(name, query._result);
      return;
    }
    query._checkForMultirow();
    const result = query._result;
    result.fields = shape.fields;
    result._parsers = shape.parsers;
    result._prebuiltEmptyResultObject = shape.emptyRow;
    query._accumulateRows = Boolean(query.callback) || this.listeners('row').length === 0;
  }
}

function remember(name: string, result: QueryInternals['_result']): void {
  const emptyRow = result._prebuiltEmptyResultObject;
  if (!emptyRow || !result._parsers) return;
  // The empty row's keys are the column names as V8 keeps property names (internalized): rows
  // are then filled under those, not under strings decoded afresh. Duplicate names: not kept.
  const names = Object.keys(emptyRow);
  if (names.length !== result.fields.length || names.some((column, i) => column !== result.fields[i].name)) return;
  result.fields.forEach((field, i) => (field.name = names[i])); // the same text
  shapes.set(name, { fields: result.fields, parsers: result._parsers, emptyRow });
}
