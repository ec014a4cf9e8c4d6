// The engine's auth state (Baileys creds and every Signal key) kept in the database, one session at a time.
// Writes go through real transactions in the repository; nothing is ever written to loose files.
import type { Db } from '../../store/database.js';
import { getCreds, getKeys, purgeAuthState, saveCreds, setKeys } from '../../store/repos/auth-state.js';
import type { AuthStateStore } from '../../engine/port.js';

export function databaseAuthStore(db: Db, sessionId: string): AuthStateStore {
  return {
    loadCreds: async () => (await getCreds(db, sessionId)) ?? null,
    saveCreds: (json) => saveCreds(db, sessionId, json),
    getKeys: async (type, ids) => Object.fromEntries(await getKeys(db, sessionId, type, ids)),
    setKeys: (writes) => setKeys(db, sessionId, writes),
    purge: () => purgeAuthState(db, sessionId)
  };
}
