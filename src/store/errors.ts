// Typed store errors, and the translation of driver constraint errors (SQLite and PostgreSQL) into them.
// The HTTP layer maps these to API codes; repositories throw them instead of leaking driver errors.

/** An insert collided with an existing primary key or unique value. */
export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';

  constructor(
    readonly table: string,
    /** What collided, e.g. `session id "alpha"`. */
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`${table}: ${key} already exists`, options);
  }
}

/** A write referenced a missing row, or a delete would orphan rows that reference this one. */
export class ReferenceViolationError extends Error {
  override readonly name = 'ReferenceViolationError';

  constructor(
    readonly table: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${table}: ${message}`, options);
  }
}

function driverCode(err: unknown): unknown {
  return typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
}

export function isUniqueViolation(err: unknown): boolean {
  const code = driverCode(err);
  // better-sqlite3 extended result codes; PostgreSQL SQLSTATE unique_violation.
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

export function isForeignKeyViolation(err: unknown): boolean {
  const code = driverCode(err);
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}
