import { Column, type ColumnOptions } from 'typeorm';

type PlainColumnOptions = Omit<ColumnOptions, 'type' | 'transformer'>;

/**
 * Instants are stored as epoch milliseconds in a BIGINT: the same type and the
 * same comparisons on SQLite and PostgreSQL, and no time-zone drift between
 * instances. pg returns BIGINT as a string, hence the transformer. Written as
 * a decimal string: TypeORM's SQLite driver pastes number parameters into the
 * SQL text, which made every write a new statement to compile (and pushed
 * the hot statements out of the statement cache); a string is bound as a
 * parameter, and the INTEGER column stores it as a number all the same.
 */
const epochMs = {
  to: (value: Date | null | undefined) => (value instanceof Date ? String(value.getTime()) : value),
  from: (value: string | number | null) => (value === null ? null : new Date(Number(value))),
};

export function TimestampColumn(options: PlainColumnOptions = {}) {
  return Column({ ...options, type: 'bigint', transformer: epochMs });
}

/** JSON in a TEXT column: portable across both dialects, used for small lists and details. */
const json = {
  to: (value: unknown) => (value == null ? value : JSON.stringify(value)),
  from: (value: string | null) => (value == null ? null : (JSON.parse(value) as unknown)),
};

export function JsonColumn(options: PlainColumnOptions = {}) {
  return Column({ ...options, type: 'text', transformer: json });
}
