// Session records written straight into a gateway's database before it starts: linked-looking sessions (own
// number, LID, name, last connection) that are not meant to run, so a list of N sessions can be measured without
// linking N devices.
import { ensureAdminKey, ADMIN_KEY_ID } from '../../src/core/auth/admin-key.js';
import { openDatabase } from '../../src/store/open-database.js';
import { createSession } from '../../src/store/repos/sessions.js';

const STATUSES = ['STOPPED', 'LOGGED_OUT', 'FAILED'] as const;

export async function storeSessions(database: { dataDir: string; url?: string }, adminKey: string, count: number): Promise<void> {
  const store = await openDatabase(database);
  try {
    await ensureAdminKey(store.db, adminKey);
    for (let i = 0; i < count; i++) {
      const phone = `1940${String(i).padStart(7, '0')}`;
      await createSession(store.db, {
        id: `stored-${i}`,
        ownerKeyId: ADMIN_KEY_ID,
        status: STATUSES[i % STATUSES.length],
        meId: `${phone}:1@s.whatsapp.net`,
        meLid: `${90_000_000_000 + i}:1@lid`,
        meName: `Stored ${i}`,
        lastConnectedAt: Date.now() - i * 1000
      });
    }
  } finally {
    await store.close();
  }
}
