// The `session` object every canonical event carries (webhook bodies, the live stream): the session and the
// identity of the key that owns it.
import type { Db } from '../store/database.js';
import { getApiKey } from '../store/repos/api-keys.js';
import type { Session } from '../store/repos/sessions.js';
import { databaseOf } from '../store/transaction.js';
import { BoundedMap } from '../lib/bounded-map.js';
import type { WebhookSessionInfo } from './webhook-signer.js';

type Owner = { registry: string; username: string };

/**
 * Owners already read, by key id. Every delivery asks for its session's owner, and the answer cannot go stale:
 * a key's name and registry never change, and a key that still owns a session cannot be deleted.
 */
const owners = new WeakMap<Db, BoundedMap<string, Owner>>();
const OWNERS_KEPT = 1_000;

async function ownerOf(db: Db, keyId: string): Promise<Owner> {
  const database = databaseOf(db);
  let known = owners.get(database);
  const kept = known?.get(keyId);
  if (kept) return kept;
  const key = await getApiKey(db, keyId);
  const owner = { registry: key?.registry ?? '', username: key?.name ?? '' };
  if (!key) return owner;
  if (!known) owners.set(database, (known = new BoundedMap(OWNERS_KEPT)));
  known.set(keyId, owner);
  return owner;
}

export async function webhookSessionInfo(db: Db, session: Session): Promise<WebhookSessionInfo> {
  return { id: session.id, label: session.label ?? '', ...(await ownerOf(db, session.ownerKeyId)) };
}
