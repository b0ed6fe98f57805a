import { getMetadataArgsStorage } from 'typeorm';

/** An entity class (a TypeORM entity's constructor). */
export type EntityClass = abstract new (...args: never[]) => object;

/**
 * The columns an answer shows, read from the entity's TypeORM decorators in declaration order:
 * every column except those declared `select: false` (internal, such as idempotency_key).
 * The entity is the one declaration of a table's columns: hot-path SQL names its columns from
 * here, so a column added to the entity is selected and returned everywhere, and
 * entity-columns.spec.ts checks the response DTOs and openapi.json against the same list.
 */
export function answerColumns(entity: EntityClass): string[] {
  const columns = getMetadataArgsStorage()
    .filterColumns(entity)
    .filter((column) => column.options.select !== false)
    .map((column) => column.options.name ?? column.propertyName);
  if (columns.length === 0) throw new Error(`${entity.name} declares no columns: is it a TypeORM entity?`);
  return columns;
}

/** `a, b, c` (or `t.a, t.b, t.c` with an alias): the SELECT / RETURNING list of an entity's answer. */
export function columnList(entity: EntityClass, alias?: string): string {
  const prefix = alias ? `${alias}.` : '';
  return answerColumns(entity)
    .map((column) => prefix + column)
    .join(', ');
}

/** The table an entity is stored in (`@Entity({ name })`). */
export function tableName(entity: EntityClass): string {
  const table = getMetadataArgsStorage().tables.find((candidate) => candidate.target === entity);
  if (!table?.name) throw new Error(`${entity.name} is not a TypeORM entity with a table name`);
  return table.name;
}

/** A column a create request fills: its name, its type and its default as SQL (if any). */
export interface InsertColumn {
  name: string;
  type: string;
  defaultSql?: string;
}

/**
 * The columns an INSERT fills, in declaration order: every column but the generated ones
 * (primary key, creation date), internal ones (`select: false`) and those the database writes
 * (`insert: false`, such as search_vector).
 */
export function insertColumns(entity: EntityClass): InsertColumn[] {
  return getMetadataArgsStorage()
    .filterColumns(entity)
    .filter(
      (column) =>
        column.mode === 'regular' &&
        !column.options.primary &&
        column.options.select !== false &&
        column.options.insert !== false,
    )
    .map((column) => {
      const declared = column.options.default as unknown;
      const defaultSql =
        typeof declared === 'function'
          ? String((declared as () => string)())
          : declared === undefined
            ? undefined
            : typeof declared === 'string'
              ? `'${declared.replace(/'/g, "''")}'`
              : String(declared);
      return { name: column.options.name ?? column.propertyName, type: String(column.options.type), defaultSql };
    });
}
