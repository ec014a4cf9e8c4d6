// Telling "the database is unreachable right now" (retry later: HTTP 503) apart from a bug or bad data.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
// PostgreSQL: class 08 connection exceptions, 57P01-57P03 shutdown / cannot connect now, 53300 too many connections.
const PG_CODE = /^(08\w{3}|57P0[1-3]|53300)$/;
const SQLITE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_FULL']);
const PG_POOL_MESSAGES = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /Cannot use a pool after calling end/i];

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || PG_CODE.test(code) || [...SQLITE_CODES].some((c) => code.startsWith(c)))) return true;
    if (PG_POOL_MESSAGES.some((pattern) => pattern.test(current.message))) return true;
    if (current instanceof AggregateError && current.errors.some(isDatabaseUnavailable)) return true;
  }
  return false;
}
