// The admin key: taken from WAYGATE_ADMIN_KEY when set (its hash is kept in step with the environment), else
// generated on the very first start, shown once, and stored only as a hash.
import type { Db } from '../../store/database.js';
import { createApiKey, deleteApiKey, findApiKeyByHash, getApiKey } from '../../store/repos/api-keys.js';
import { hashSecret, newSecret } from './secrets.js';

export const ADMIN_KEY_ID = 'admin';

export interface AdminKeyOutcome {
  /** The plain key when it was generated just now (show it once); undefined otherwise. */
  generated?: string;
}

export async function ensureAdminKey(db: Db, configured: string | undefined): Promise<AdminKeyOutcome> {
  const existing = await getApiKey(db, ADMIN_KEY_ID);
  if (configured) {
    const hash = hashSecret(configured);
    if (existing && (await findApiKeyByHash(db, hash))?.id === ADMIN_KEY_ID) return {};
    await db.transaction().execute(async (trx) => {
      if (existing) await deleteApiKey(trx, ADMIN_KEY_ID);
      await createApiKey(trx, { id: ADMIN_KEY_ID, name: 'admin', keyHash: hash, isAdmin: true });
    });
    return {};
  }
  if (existing) return {};
  const generated = newSecret('admin');
  await createApiKey(db, { id: ADMIN_KEY_ID, name: 'admin', keyHash: hashSecret(generated), isAdmin: true });
  return { generated };
}
