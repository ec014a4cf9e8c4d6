// A throw-away database for one gateway process of a benchmark: SQLite in a temp directory (the default
// config), or a fresh schema in the PostgreSQL database a URL names; dropped afterwards either way.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type Dialect = 'sqlite' | 'postgres';

export interface BenchDatabase {
  dialect: Dialect;
  /** what the gateway process needs in its environment to use it */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

export async function createBenchDatabase(dialect: Dialect, postgresUrl?: string): Promise<BenchDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'waygate-bench-messages-'));
  const removeDir = () => rm(dataDir, { recursive: true, force: true });
  if (dialect === 'sqlite') return { dialect, env: { WAYGATE_DATA_DIR: dataDir }, dispose: removeDir };
  if (!postgresUrl) throw new Error('a PostgreSQL bench database needs a URL (BENCH_PG)');
  const schema = `wg_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    dialect,
    env: { WAYGATE_DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    dispose: async () => {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
      await removeDir();
    }
  };
}
