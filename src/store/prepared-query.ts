// Statements that every message runs, built and compiled once. Kysely builds an immutable query tree and
// compiles it to SQL on each call: for the dozen statements of a send or an inbound message that was 13 % of the
// gateway's busy time (a profile of the messages bench), two thirds of what SQLite spent running them. A prepared
// query is built once per database and shape with stand-ins for its values and compiled (Kysely's "split build,
// compile and execute" recipe); each run puts the values where the stand-ins were.
//
// The builder sees stand-ins, never the values: it must not branch on them. What changes the statement's text
// (which columns are set, the statuses an update may move from) is the shape, a key the caller passes and the
// builder may read. A value that Kysely would write into the SQL text instead of a parameter is refused when the
// query is first compiled, as is a value the builder read but the query does not use.
import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { Db } from './database.js';
import type { StatementRunner } from './sqlite-dialect.js';
import { databaseOf, isRunningTransaction } from './transaction.js';

/** Databases whose prepared queries skip Kysely's executor (SQLite's, see `FifoSqliteDriver.execute`). */
const runners = new WeakMap<Db, StatementRunner>();

export function runPreparedQueriesWith(db: Db, runner: StatementRunner): void {
  runners.set(db, runner);
}

function execute<O>(db: Db, root: Db, query: CompiledQuery<O>): Promise<QueryResult<O>> {
  const runner = runners.get(root);
  if (!runner) return db.executeQuery<O>(query);
  if (!db.isTransaction) return runner.execute<O>(query);
  // Only a transaction that holds the connection now may use it directly; any other goes Kysely's way (and fails there).
  return isRunningTransaction(db) ? Promise.resolve(runner.executeHeld<O>(query)) : db.executeQuery<O>(query);
}

const STAND_IN = '\u0000prepared:';
/** Shapes kept per query and database, most recently used: multi-row inserts have one per row count. */
const SHAPES_KEPT = 16;

/** Where each parameter of the compiled statement comes from: a named value, a row's column (`rowsOf`), or a constant of the builder. */
type Slot = { name: string } | { name: string; row: number; column: string } | { constant: unknown };

interface Prepared<O> {
  compiled: CompiledQuery<O>;
  slots: Slot[];
}

export type PreparedQuery<P, O, S extends string = string> = (db: Db, params: P, shape?: S) => Promise<QueryResult<O>>;

export function preparedQuery<P extends object, O, S extends string = string>(build: (db: Db, params: P, shape: S) => Compilable<O>): PreparedQuery<P, O, S> {
  // Per database (its transactions share it): each dialect compiles its own SQL.
  const byDatabase = new WeakMap<Db, Map<string, Prepared<O>>>();
  return async (db, params, shape = '' as S) => {
    const root = databaseOf(db);
    let shapes = byDatabase.get(root);
    if (!shapes) byDatabase.set(root, (shapes = new Map()));
    let prepared = shapes.get(shape);
    if (prepared) {
      shapes.delete(shape);
    } else {
      prepared = prepare(db, build, shape);
      if (shapes.size >= SHAPES_KEPT) shapes.delete(shapes.keys().next().value!);
    }
    shapes.set(shape, prepared);
    const parameters = prepared.slots.map((slot) => ('name' in slot ? valueOf(params, slot) : slot.constant));
    return execute<O>(db, root, { ...prepared.compiled, parameters });
  };
}

// Kysely leaves a column out when its value is undefined; a compiled statement cannot, so that is a caller's bug.
function valueOf<P extends object>(params: P, slot: Exclude<Slot, { constant: unknown }>): unknown {
  if (params instanceof RowValues && 'row' in slot) {
    const row = params.rows[slot.row];
    if (row === undefined) throw new Error(`prepared query: no row ${slot.row} (${params.rows.length} given)`);
    return row[slot.column] ?? null;
  }
  const value = params[slot.name as keyof P];
  if (value === undefined) throw new Error(`prepared query: no value for ${slot.name}`);
  return value;
}

/** A stand-in name `rowsOf` gives a row's column: `<row>.<column>`. */
const ROW_COLUMN = /^(\d+)\.(.+)$/;

function slotOf(name: string): Slot {
  const rowColumn = ROW_COLUMN.exec(name);
  return rowColumn ? { name, row: Number(rowColumn[1]), column: rowColumn[2]! } : { name };
}

function prepare<P extends object, O, S extends string>(db: Db, build: (db: Db, params: P, shape: S) => Compilable<O>, shape: S): Prepared<O> {
  const read = new Set<string>();
  const standIns = new Proxy({} as P, {
    get: (_target, name) => {
      if (typeof name !== 'string') return undefined;
      read.add(name);
      return `${STAND_IN}${name}`;
    }
  });
  const compiled = build(db, standIns, shape).compile();
  if (compiled.sql.includes(STAND_IN)) throw new Error(`prepared query writes a value into its SQL text instead of a parameter: ${compiled.sql}`);
  const slots = compiled.parameters.map((value): Slot => (typeof value === 'string' && value.startsWith(STAND_IN) ? slotOf(value.slice(STAND_IN.length)) : { constant: value }));
  const used = new Set(slots.flatMap((slot) => ('name' in slot ? [slot.name] : [])));
  const unused = [...read].filter((name) => !used.has(name));
  if (unused.length) throw new Error(`prepared query reads ${unused.join(', ')} but does not use it as a parameter: ${compiled.sql}`);
  return { compiled, slots };
}

/** The first row of a prepared query's result (for `returning` and single-row selects). */
export async function firstRow<O>(result: Promise<QueryResult<O>>): Promise<O | undefined> {
  return (await result).rows[0];
}

/** How many rows a prepared insert, update or delete changed. */
export async function changedRows(result: Promise<QueryResult<unknown>>): Promise<number> {
  return Number((await result).numAffectedRows ?? 0n);
}

/**
 * Stand-ins for the rows of a multi-row insert, `count` of them (make the count the shape): what the statement will
 * read from row i's column c of the `RowValues` it is run with.
 */
export function rowsOf<C extends string>(params: RowValues, columns: readonly C[], count: number): Record<C, unknown>[] {
  // While the query is prepared, `params` is the stand-ins' proxy, which names a value by any key it is asked for.
  const standIns = params as unknown as Record<string, unknown>;
  return Array.from({ length: count }, (_, i) => Object.fromEntries(columns.map((column) => [column, standIns[`${i}.${column}`]])) as Record<C, unknown>);
}

/**
 * The values of rows for a query built with `rowsOf`, read by row and column as the statement runs (a column a
 * row leaves out is null). Not copied into one object keyed `<row>.<column>`: building those keys for every value
 * of every row was a tenth of a millisecond a send (a CPU profile of the messages bench).
 */
export class RowValues {
  constructor(readonly rows: readonly Readonly<Record<string, unknown>>[]) {}
}

export function rowParams<C extends string>(rows: readonly Partial<Record<C, unknown>>[]): RowValues {
  return new RowValues(rows);
}
