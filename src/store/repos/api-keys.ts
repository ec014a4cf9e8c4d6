// Repository for `api_keys`: create, look up by hash, list and delete API keys.
import { randomInt, randomUUID } from 'node:crypto';
import type { Db } from '../database.js';
import { DuplicateKeyError, ReferenceViolationError, isForeignKeyViolation, isUniqueViolation } from '../errors.js';
import type { ApiKeyRow } from '../tables/api-keys.js';

export interface ApiKey {
  id: string;
  name: string;
  registry: string;
  isAdmin: boolean;
  createdAt: number;
}

export interface NewApiKey {
  name: string;
  /** SHA-256 hex of the key; the plain key is never stored. */
  keyHash: string;
  isAdmin?: boolean;
  /** WARest registry; generated when omitted. */
  registry?: string;
  id?: string;
}

const REGISTRY_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function newRegistry(): string {
  return Array.from({ length: 10 }, () => REGISTRY_LETTERS[randomInt(REGISTRY_LETTERS.length)]).join('');
}

function toApiKey(row: Omit<ApiKeyRow, 'key_hash'>): ApiKey {
  return { id: row.id, name: row.name, registry: row.registry, isAdmin: row.is_admin === 1, createdAt: row.created_at };
}

const PUBLIC_COLUMNS = ['id', 'name', 'registry', 'is_admin', 'created_at'] as const;

/** @throws DuplicateKeyError when the hash (or the given id/registry) is already taken. */
export async function createApiKey(db: Db, input: NewApiKey, now = Date.now()): Promise<ApiKey> {
  const row = {
    id: input.id ?? randomUUID(),
    name: input.name,
    registry: input.registry ?? newRegistry(),
    key_hash: input.keyHash,
    is_admin: input.isAdmin ? 1 : 0,
    created_at: now,
  } as const;
  try {
    await db.insertInto('api_keys').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new DuplicateKeyError('api_keys', 'a key with this hash, id or registry', { cause: err });
    throw err;
  }
  return toApiKey(row);
}

export async function findApiKeyByHash(db: Db, keyHash: string): Promise<ApiKey | undefined> {
  const row = await db.selectFrom('api_keys').select(PUBLIC_COLUMNS).where('key_hash', '=', keyHash).executeTakeFirst();
  return row && toApiKey(row);
}

export async function getApiKey(db: Db, id: string): Promise<ApiKey | undefined> {
  const row = await db.selectFrom('api_keys').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && toApiKey(row);
}

export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  const rows = await db.selectFrom('api_keys').select(PUBLIC_COLUMNS).orderBy('created_at').orderBy('id').execute();
  return rows.map(toApiKey);
}

/**
 * @returns false when no such key exists.
 * @throws ReferenceViolationError while sessions are still owned by the key.
 */
export async function deleteApiKey(db: Db, id: string): Promise<boolean> {
  try {
    const result = await db.deleteFrom('api_keys').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  } catch (err) {
    if (isForeignKeyViolation(err)) {
      throw new ReferenceViolationError('api_keys', `key ${id} still owns sessions; delete them first`, { cause: err });
    }
    throw err;
  }
}
